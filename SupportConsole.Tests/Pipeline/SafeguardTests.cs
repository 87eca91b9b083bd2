using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Administration;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Gate;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Pipeline;

/// <summary>
/// The vulnerable-customer safeguard on the real pipeline: urgent escalation, no draft of any kind (no template, no cloud
/// model), nothing in the outbox, whatever the router, the policy or the switches say.
/// </summary>
public sealed class SafeguardTests
{
    [Fact]
    public async Task IDontWantToLiveAnymoreIsEscalatedAsUrgentWithNoDraftAndNoCloudCall()
    {
        await using var cloud = await FakeHttpServer.StartAsync();
        cloud.Respond = _ => Task.FromResult(FakeHttpServer.ChatCompletion("Here is how to close your account [1]."));
        using var app = new AppFactory(new Dictionary<string, string?>
        {
            ["CloudModel:Endpoints:0:Name"] = "cloud",
            ["CloudModel:Endpoints:0:BaseUrl"] = new Uri(cloud.BaseUrl, "/v1").ToString(),
            ["CloudModel:Endpoints:0:Model"] = "model",
        });

        var ticket = await IngestAsync(app, "vulnerable-1", "I don't want to live anymore. Please close everything.");

        var decision = ticket.GetProperty("decision");
        Assert.Equal("Escalate", decision.GetProperty("band").GetString());
        Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "hard-rule:vulnerable-customer");
        Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == BandGate.SafeguardCode);
        Assert.Equal("urgent", ticket.GetProperty("priority").GetString());
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("draft").ValueKind);
        Assert.Empty(cloud.Requests);
        var draftReceipt = ticket.GetProperty("receipts").EnumerateArray().Single(r => r.GetProperty("stage").GetString() == Stages.Draft);
        Assert.Equal("safeguard:vulnerable-customer", draftReceipt.GetProperty("modelVersion").GetString());
        await AssertNothingWillBeSentAsync(app, ticket);
    }

    [Fact]
    public async Task ACertifiedAutoQuestionWithASelfHarmPhraseIsNotAnsweredAutomatically()
    {
        using var app = new AppFactory();
        Assert.Equal("Auto", (await IngestAsync(app, "plain-1", "How do I activate my new card?")).GetProperty("decision").GetProperty("band").GetString());

        var ticket = await IngestAsync(app, "vulnerable-2", "How do I activate my new card? Honestly I have been thinking about suicide.");

        Assert.Equal("activate_my_card", ticket.GetProperty("decision").GetProperty("intent").GetString());
        Assert.Equal("Escalate", ticket.GetProperty("decision").GetProperty("band").GetString());
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("draft").ValueKind);
        await AssertNothingWillBeSentAsync(app, ticket);
    }

    [Fact]
    public async Task TheSafeguardCannotBeSwitchedOffAndAppliesEvenIfItsRowSaysOff()
    {
        using var app = new AppFactory();
        var policy = app.Services.GetRequiredService<PolicyAdmin>();
        var (policies, gate, rules) = await policy.LoadAsync();
        var safeguard = Assert.Single(rules, r => r.Safeguard);
        Assert.Equal("vulnerable-customer", safeguard.Id);
        Assert.Equal(TicketPriority.Urgent, safeguard.Priority);

        var switches = rules.ToDictionary(r => r.Id, r => r.Id != safeguard.Id);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => policy.SaveAsync(policies, gate, switches, SupportConsole.Identity.ConsoleActor.System("manager@demo.example"), "testing"));
        Assert.Contains("safeguard", refused.Message);

        // Someone edits the row behind the console's back: the safeguard still applies to the next ticket.
        await using (var db = app.Database())
        {
            await db.HardRules.Where(r => r.Id == safeguard.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Enabled, false));
            var version = await db.Settings.SingleAsync(s => s.Key == SupportConsole.Data.SettingKeys.PolicyVersion);
            version.Value = (long.Parse(version.Value) + 1).ToString();
            await db.SaveChangesAsync();
        }

        var ticket = await IngestAsync(app, "vulnerable-3", "My partner hits me and controls all my money, I need help with my account.");
        Assert.Contains(ticket.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "hard-rule:vulnerable-customer");
    }

    [Fact]
    public async Task AFollowUpThatMentionsSelfHarmMakesTheTicketUrgent()
    {
        using var app = new AppFactory();
        var first = await IngestAsync(app, "vulnerable-4", "Why was I charged a fee when I paid with my card?");
        Assert.Equal("normal", first.GetProperty("priority").GetString());

        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets", new
        {
            externalId = "vulnerable-4-b", customerId = "C0007", channel = "email", body = "I can't cope, I want to end my life.", inReplyTo = "vulnerable-4",
        });
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("urgent", ticket.GetProperty("priority").GetString());
        Assert.Equal("Escalate", ticket.GetProperty("decision").GetProperty("band").GetString());
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("draft").ValueKind);
        await AssertNothingWillBeSentAsync(app, ticket);
    }

    private static async Task AssertNothingWillBeSentAsync(AppFactory app, JsonElement ticket)
    {
        var id = Guid.Parse(ticket.GetProperty("id").GetString()!);
        await using var db = app.Database();
        Assert.Empty(await db.OutboxMessages.Where(m => m.TicketId == id).ToListAsync());
        Assert.Null(await db.Drafts.FirstOrDefaultAsync(d => d.TicketId == id));
        var stored = await db.Tickets.SingleAsync(t => t.Id == id);
        Assert.Equal(TicketStatus.Escalated, stored.Status);
        Assert.Equal(TicketPriority.Urgent, stored.Priority);
        Assert.NotNull(stored.ReplyDueAt);
    }

    private static async Task<JsonElement> IngestAsync(AppFactory app, string externalId, string body)
    {
        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId = "C0007", channel = "email", body });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
