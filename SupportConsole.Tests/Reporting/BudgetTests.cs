using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data.Entities;
using SupportConsole.Reporting;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Reporting;

/// <summary>
/// Budgets on the real host with an OpenAI-compatible fake cloud model on 127.0.0.1 (1,000 input and 100 output tokens
/// at $2 / $8 per million: $0.0028 a call) and a fake budget webhook.
/// </summary>
public sealed class BudgetTests : IClassFixture<BudgetTests.Host>
{
    /// <summary>Uncertified by the shipped router: goes to the cloud model when one is configured.</summary>
    private const string UncertifiedText = "Is your office open on bank holidays, and can I visit it?";

    private readonly Host _host;

    public BudgetTests(Host host) => _host = host;

    [Fact]
    public async Task WarningAndExceededAreRecordedOnceEachAndDeliveredToTheWebhook()
    {
        var admin = _host.Factory.Services.GetRequiredService<BudgetAdmin>();
        Assert.True((await admin.SaveAsync("C0011", 0.005m, 0.5, OverBudgetAction.KeepGoing, "manager@demo.example")).Succeeded);

        var first = await _host.IngestAsync("budget-warn-1", "C0011", UncertifiedText);
        await using (var db = _host.Factory.Database())
        {
            Assert.Equal([BudgetAlertLevel.Warning], await db.BudgetAlerts.Where(a => a.CustomerId == "C0011").Select(a => a.Level).ToListAsync());
        }

        await _host.IngestAsync("budget-warn-2", "C0011", UncertifiedText);
        await _host.IngestAsync("budget-warn-3", "C0011", UncertifiedText);

        await using (var db = _host.Factory.Database())
        {
            var alerts = await db.BudgetAlerts.Where(a => a.CustomerId == "C0011").OrderBy(a => a.CreatedAt).ToListAsync();
            Assert.Equal([BudgetAlertLevel.Warning, BudgetAlertLevel.Exceeded], alerts.Select(a => a.Level));
            Assert.Equal(Guid.Parse(first.GetProperty("id").GetString()!), alerts[0].TicketId);
            Assert.True(alerts[1].SpendNanosUsd >= 5_000_000);
        }

        var delivered = await _host.WaitForAlertsAsync("C0011", 2);
        Assert.Equal(["warning", "exceeded"], delivered.Select(d => d.Payload.GetProperty("level").GetString()));
        Assert.Equal(2, delivered.Select(d => d.MessageId).Distinct().Count());
        Assert.All(delivered, d => Assert.Equal(0.005m, d.Payload.GetProperty("budgetUsd").GetDecimal()));

        var alertsApi = await _host.Factory.Services.GetRequiredService<CostReports>().AlertsAsync("C0011", null, 10);
        Assert.Equal(2, alertsApi.Count);
    }

    [Fact]
    public async Task StopCloudDeferralKeepsASpentCustomersUncertifiedTicketsAwayFromTheCloud()
    {
        var admin = _host.Factory.Services.GetRequiredService<BudgetAdmin>();
        Assert.True((await admin.SaveAsync("C0012", 0.001m, 0.8, OverBudgetAction.StopCloudDeferral, "manager@demo.example")).Succeeded);

        var callsBefore = _host.Cloud.Requests.Count;
        var first = await _host.IngestAsync("budget-stop-1", "C0012", UncertifiedText);
        Assert.Equal(callsBefore + 1, _host.Cloud.Requests.Count);
        Assert.Equal("CloudModel", first.GetProperty("draft").GetProperty("origin").GetString());

        var second = await _host.IngestAsync("budget-stop-2", "C0012", UncertifiedText);

        Assert.Equal(callsBefore + 1, _host.Cloud.Requests.Count);
        var decision = second.GetProperty("decision");
        Assert.Equal("Escalate", decision.GetProperty("band").GetString());
        var reason = Assert.Single(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "budget-cloud-stopped");
        Assert.Contains("C0012", reason.GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("draft").ValueKind);
        Assert.All(second.GetProperty("receipts").EnumerateArray(), r => Assert.True(r.GetProperty("isLocal").GetBoolean()));

        // A certified ticket of the same customer is unaffected.
        var certified = await _host.IngestAsync("budget-stop-3", "C0012", "How do I activate my new card?");
        Assert.Equal("Auto", certified.GetProperty("decision").GetProperty("band").GetString());
    }

    [Fact]
    public async Task KeepGoingStillDefersOnceTheBudgetIsSpent()
    {
        var admin = _host.Factory.Services.GetRequiredService<BudgetAdmin>();
        Assert.True((await admin.SaveAsync("C0013", 0.001m, 0.8, OverBudgetAction.KeepGoing, "manager@demo.example")).Succeeded);

        var callsBefore = _host.Cloud.Requests.Count;
        await _host.IngestAsync("budget-keep-1", "C0013", UncertifiedText);
        var second = await _host.IngestAsync("budget-keep-2", "C0013", UncertifiedText);

        Assert.Equal(callsBefore + 2, _host.Cloud.Requests.Count);
        Assert.Equal("CloudModel", second.GetProperty("draft").GetProperty("origin").GetString());
        Assert.DoesNotContain(second.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "budget-cloud-stopped");
        var status = await _host.Factory.Services.GetRequiredService<CostReports>().BudgetStatusAsync("C0013");
        Assert.True(status!.SpentShare > 1);
        Assert.False(status.CloudDeferralStopped);
    }

    [Fact]
    public async Task BudgetChangesAreValidatedAndAudited()
    {
        var admin = _host.Factory.Services.GetRequiredService<BudgetAdmin>();

        Assert.False((await admin.SaveAsync("C0014", -1m, 0.8, OverBudgetAction.KeepGoing, "m")).Succeeded);
        Assert.False((await admin.SaveAsync("C0014", 10m, 0, OverBudgetAction.KeepGoing, "m")).Succeeded);
        Assert.False((await admin.SaveAsync("C0014", 10m, 1.5, OverBudgetAction.KeepGoing, "m")).Succeeded);
        Assert.False((await admin.SaveAsync("C0014", 10m, 0.8, (OverBudgetAction)7, "m")).Succeeded);
        Assert.False((await admin.SaveAsync("NO-SUCH-CUSTOMER", 10m, 0.8, OverBudgetAction.KeepGoing, "m")).Succeeded);
        await using (var db = _host.Factory.Database())
        {
            Assert.False(await db.CustomerBudgets.AnyAsync(b => b.CustomerId == "C0014"));
        }

        Assert.True((await admin.SaveAsync("C0014", 25m, 0.75, OverBudgetAction.StopCloudDeferral, "manager@demo.example")).Succeeded);
        Assert.True((await admin.SaveAsync("C0014", 30m, 0.9, OverBudgetAction.KeepGoing, "admin@demo.example")).Succeeded);

        await using var check = _host.Factory.Database();
        var budget = await check.CustomerBudgets.SingleAsync(b => b.CustomerId == "C0014");
        Assert.Equal(30m, budget.MonthlyBudgetUsd);
        Assert.Equal("admin@demo.example", budget.UpdatedBy);
        var audit = await check.AuditEvents.Where(e => e.Action == "budget.changed" && e.EntityId == "C0014").OrderBy(e => e.At).ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.Contains("\"before\":{\"budgetUsd\":25", audit[1].DetailsJson);
        Assert.True((await admin.RemoveAsync("C0014", "manager@demo.example")).Succeeded);
    }

    public sealed class Host : IAsyncLifetime
    {
        public FakeHttpServer Cloud { get; private set; } = null!;

        public FakeHttpServer Webhook { get; private set; } = null!;

        public AppFactory Factory { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Cloud = await FakeHttpServer.StartAsync();
            Cloud.Respond = _ => Task.FromResult(FakeHttpServer.ChatCompletion("Our branches are listed in the app [1].", promptTokens: 1000, completionTokens: 100));
            Webhook = await FakeHttpServer.StartAsync();
            Factory = new AppFactory(new Dictionary<string, string?>
            {
                ["CloudModel:Endpoints:0:Name"] = "fake-cloud",
                ["CloudModel:Endpoints:0:BaseUrl"] = new Uri(Cloud.BaseUrl, "/v1").ToString(),
                ["CloudModel:Endpoints:0:Model"] = "fake-model",
                ["CloudModel:Endpoints:0:InputUsdPerMillionTokens"] = "2",
                ["CloudModel:Endpoints:0:OutputUsdPerMillionTokens"] = "8",
                ["Budgets:AlertWebhookUrl"] = new Uri(Webhook.BaseUrl, "/budget-alerts").ToString(),
            });
            Factory.StartServer();
        }

        public async Task<JsonElement> IngestAsync(string externalId, string customerId, string body)
        {
            using var response = await Factory.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId, channel = "chat", body });
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        public async Task<IReadOnlyList<(string MessageId, JsonElement Payload)>> WaitForAlertsAsync(string customerId, int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var received = Webhook.Requests
                    .Select(r => (MessageId: r.Headers["X-Message-Id"], Payload: JsonDocument.Parse(r.Body).RootElement, r.Path))
                    .Where(r => r.Path == "/budget-alerts" && r.Payload.GetProperty("customerId").GetString() == customerId)
                    .Select(r => (r.MessageId, r.Payload))
                    .ToList();
                if (received.Count >= count || timeout.IsCancellationRequested)
                {
                    return received;
                }

                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync()
        {
            Factory.Dispose();
            await Cloud.DisposeAsync();
            await Webhook.DisposeAsync();
        }
    }
}
