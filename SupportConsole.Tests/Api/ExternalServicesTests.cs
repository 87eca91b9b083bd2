using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data.Entities;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Api;

/// <summary>The app talking to the outside: a cloud model for uncertified tickets, and the reply webhook.</summary>
public sealed class ExternalServicesTests
{
    [Fact]
    public async Task UncertifiedTicketGetsARedactedCloudDraftFromTheSecondEndpointWhenTheFirstFails()
    {
        await using var broken = await FakeHttpServer.StartAsync();
        await using var model = await FakeHttpServer.StartAsync();
        broken.Respond = _ => Task.FromResult(Results.StatusCode(StatusCodes.Status502BadGateway));
        model.Respond = _ => Task.FromResult(FakeHttpServer.ChatCompletion("A colleague will check this for you [1].", promptTokens: 900, completionTokens: 60));
        using var factory = new AppFactory(new Dictionary<string, string?>
        {
            ["CloudModel:Endpoints:0:Name"] = "primary",
            ["CloudModel:Endpoints:0:BaseUrl"] = new Uri(broken.BaseUrl, "/v1").ToString(),
            ["CloudModel:Endpoints:0:Model"] = "model-a",
            ["CloudModel:Endpoints:1:Name"] = "secondary",
            ["CloudModel:Endpoints:1:BaseUrl"] = new Uri(model.BaseUrl, "/v1").ToString(),
            ["CloudModel:Endpoints:1:Model"] = "model-b",
            ["CloudModel:Endpoints:1:InputUsdPerMillionTokens"] = "2.5",
            ["CloudModel:Endpoints:1:OutputUsdPerMillionTokens"] = "10",
        });
        string name;
        await using (var db = factory.Database())
        {
            name = (await db.Customers.SingleAsync(c => c.Id == "C0001")).Name!;
        }

        using var response = await factory.Client().PostAsJsonAsync("/api/v1/tickets", new
        {
            externalId = "cloud-1",
            customerId = "C0001",
            channel = "chat",
            body = $"Hello, this is {name}. Is your office open on bank holidays, and can I visit it? Call me on +44 7700 900555.",
        });

        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(ticket.GetProperty("decision").GetProperty("certified").GetBoolean());
        var draft = ticket.GetProperty("draft");
        Assert.Equal("CloudModel", draft.GetProperty("origin").GetString());
        Assert.Equal("A colleague will check this for you [1].", draft.GetProperty("originalText").GetString());
        Assert.NotEqual("Auto", ticket.GetProperty("decision").GetProperty("band").GetString());
        var draftReceipt = ticket.GetProperty("receipts").EnumerateArray().Single(r => r.GetProperty("stage").GetString() == "draft");
        Assert.False(draftReceipt.GetProperty("isLocal").GetBoolean());
        Assert.Equal(900, draftReceipt.GetProperty("inputTokens").GetInt32());
        Assert.True(draftReceipt.GetProperty("costUsd").GetDecimal() >= (900 * 2.5m / 1_000_000m) + (60 * 10m / 1_000_000m));
        var sent = Assert.Single(model.Requests).Body;
        foreach (var part in name.Split(' ').Append("7700 900555"))
        {
            Assert.DoesNotContain(part, sent);
        }

        Assert.Single(broken.Requests);
    }

    [Fact]
    public async Task DefaultConfigurationMakesNoCloudCallAndNoDraftForUncertifiedTickets()
    {
        using var factory = new AppFactory();

        using var response = await factory.Client().PostAsJsonAsync("/api/v1/tickets", new
        {
            externalId = "no-cloud-1",
            customerId = "C0001",
            channel = "chat",
            body = "Is your office open on bank holidays, and can I visit it?",
        });

        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(ticket.GetProperty("decision").GetProperty("certified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("draft").ValueKind);
        Assert.Equal("Escalate", ticket.GetProperty("decision").GetProperty("band").GetString());
    }

    [Fact]
    public async Task AutoReplyIsDeliveredToTheWebhookWithItsMessageIdAfterARetry()
    {
        await using var webhook = await FakeHttpServer.StartAsync();
        var calls = 0;
        webhook.Respond = _ => Task.FromResult(Interlocked.Increment(ref calls) == 1
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Ok());
        using var factory = new AppFactory(new Dictionary<string, string?>
        {
            ["Outbox:WebhookUrl"] = new Uri(webhook.BaseUrl, "/replies").ToString(),
            ["Outbox:FirstRetrySeconds"] = "0.2",
        });

        using var response = await factory.Client().PostAsJsonAsync("/api/v1/tickets", new
        {
            externalId = "outbox-1",
            customerId = "C0003",
            channel = "email",
            body = "How do I activate my new card?",
        });
        var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

        OutboxMessage? message = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!timeout.IsCancellationRequested)
        {
            await using var db = factory.Database();
            message = await db.OutboxMessages.SingleAsync(m => m.TicketId == id);
            if (message.DeliveredAt is not null)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.NotNull(message?.DeliveredAt);
        Assert.Equal(2, message!.Attempts);
        var requests = webhook.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(message.Id.ToString(), r.Headers["X-Message-Id"]));
        Assert.Contains("Source: Activating and linking your card", requests[1].Body);
        await using var check = factory.Database();
        Assert.Equal(TicketStatus.Answered, (await check.Tickets.SingleAsync(t => t.Id == id)).Status);
    }
}
