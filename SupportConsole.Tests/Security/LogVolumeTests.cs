using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Delivery;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>Reliability: a webhook delivery writes one line at information level (it wrote four), the HTTP client's own lines are debug-only.</summary>
public sealed class LogVolumeTests
{
    [Fact]
    public async Task EachWebhookDeliveryWritesOneInformationLine()
    {
        await using var webhook = await FakeHttpServer.StartAsync();
        var logs = new CapturedLogs();
        using var app = new AppFactory(new Dictionary<string, string?>
        {
            ["Outbox:WebhookUrl"] = new Uri(webhook.BaseUrl, "/replies").ToString(),
            ["Logging:LogLevel:Default"] = "Information",
        }, logs: logs);
        const int Tickets = 5;
        for (var i = 0; i < Tickets; i++)
        {
            using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets",
                new { externalId = $"log-volume-{i}", customerId = "C0004", channel = "email", body = "How do I activate my new card?" });
            Assert.True(response.IsSuccessStatusCode);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (webhook.Requests.Count < Tickets)
        {
            await Task.Delay(100, timeout.Token);
        }

        await using (var db = app.Database())
        {
            while (await db.OutboxMessages.CountAsync(m => m.DeliveredAt != null, timeout.Token) < Tickets)
            {
                await Task.Delay(100, timeout.Token);
            }
        }

        await Task.Delay(300);
        var information = logs.At(LogLevel.Information);
        Assert.Equal(Tickets, information.Count(l => l.Category == typeof(OutboxDispatcher).FullName && l.Message.StartsWith("Delivered", StringComparison.Ordinal)));
        Assert.DoesNotContain(information, l => l.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }
}
