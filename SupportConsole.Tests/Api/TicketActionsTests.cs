using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data.Entities;
using SupportConsole.Tests.TestSupport;
using SupportConsole.Tickets;

namespace SupportConsole.Tests.Api;

/// <summary>Agents' actions on the real database: concurrency, validation, audit.</summary>
public sealed class TicketActionsTests : IClassFixture<TicketActionsTests.Host>
{
    private readonly Host _host;

    public TicketActionsTests(Host host) => _host = host;

    [Fact]
    public async Task TwoAgentsSendingAtOnceExactlyOneWinsAndTheOtherIsTold()
    {
        var (id, version) = await _host.SuggestedTicketAsync("race-1");
        var actions = _host.Factory.Services.GetRequiredService<TicketActions>();

        var results = await Task.WhenAll(
            actions.SendAsync(id, version, "Reply from agent one", "one@demo.example"),
            actions.SendAsync(id, version, "Reply from agent two", "two@demo.example"));

        Assert.Single(results, r => r.Succeeded);
        Assert.Contains("Someone else changed this ticket", Assert.Single(results, r => !r.Succeeded).Message);
        await using var db = _host.Factory.Database();
        var ticket = await db.Tickets.Include(t => t.Draft).SingleAsync(t => t.Id == id);
        Assert.Equal(TicketStatus.Answered, ticket.Status);
        Assert.Single(await db.OutboxMessages.Where(m => m.TicketId == id).ToListAsync());
        Assert.Single(await db.AuditEvents.Where(e => e.EntityId == id.ToString() && e.Action == "ticket.sent").ToListAsync());
    }

    [Fact]
    public async Task RejectingNeedsAReasonAndMovesTheTicketToEscalated()
    {
        var (id, version) = await _host.SuggestedTicketAsync("reject-1");
        var actions = _host.Factory.Services.GetRequiredService<TicketActions>();

        var empty = await actions.RejectAsync(id, version, "  ", "agent@demo.example");
        var rejected = await actions.RejectAsync(id, version, "wrong fee quoted", "agent@demo.example");

        Assert.False(empty.Succeeded);
        Assert.True(rejected.Succeeded);
        await using var db = _host.Factory.Database();
        Assert.Equal(TicketStatus.Escalated, (await db.Tickets.SingleAsync(t => t.Id == id)).Status);
        Assert.Contains("wrong fee quoted", (await db.AuditEvents.SingleAsync(e => e.EntityId == id.ToString() && e.Action == "draft.rejected")).DetailsJson);
    }

    [Fact]
    public async Task CorrectingTheIntentStoresATrainingLabelOnlyForKnownIntents()
    {
        var (id, version) = await _host.SuggestedTicketAsync("label-1");
        var actions = _host.Factory.Services.GetRequiredService<TicketActions>();
        string[] known = ["card_payment_fee_charged", "exchange_charge"];

        var unknown = await actions.CorrectIntentAsync(id, version, "made_up_intent", known, "agent@demo.example");
        var corrected = await actions.CorrectIntentAsync(id, version, "exchange_charge", known, "agent@demo.example");

        Assert.False(unknown.Succeeded);
        Assert.True(corrected.Succeeded);
        await using var db = _host.Factory.Database();
        Assert.Equal("exchange_charge", (await db.Tickets.SingleAsync(t => t.Id == id)).LabelledIntent);
    }

    public sealed class Host : IDisposable
    {
        public AppFactory Factory { get; } = new();

        public async Task<(Guid Id, long Version)> SuggestedTicketAsync(string externalId)
        {
            using var response = await Factory.Client().PostAsJsonAsync("/api/v1/tickets",
                new { externalId, customerId = "C0004", channel = "email", body = "Why was I charged a fee when I paid with my card?" });
            var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Suggest", ticket.GetProperty("decision").GetProperty("band").GetString());
            var id = Guid.Parse(ticket.GetProperty("id").GetString()!);
            await using var db = Factory.Database();
            return (id, await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync());
        }

        public void Dispose() => Factory.Dispose();
    }
}
