using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;
using SupportConsole.Tests.TestSupport;
using SupportConsole.Tickets;

namespace SupportConsole.Tests.Api;

/// <summary>Tickets as conversations through the API (inReplyTo), on the real host with a real database.</summary>
public sealed class ConversationApiTests(ConversationApiTests.Host host) : IClassFixture<ConversationApiTests.Host>
{
    private const string SuggestedText = "Why was I charged a fee when I paid with my card?";
    private const string AutoText = "How do I activate my new card?";

    [Fact]
    public async Task AFollowUpIsAppendedToItsTicketAndRoutedAgainButNeverAnsweredAlone()
    {
        var first = await host.PostAsync(new { externalId = "conv-1", customerId = "C0021", channel = "email", body = SuggestedText });
        var id = first.Body.GetProperty("id").GetString();

        // A follow-up that alone would be answered automatically: in a conversation it goes to an agent.
        var reply = await host.PostAsync(new { externalId = "conv-1-b", customerId = "C0021", channel = "email", body = AutoText, inReplyTo = "conv-1" });

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(id, reply.Body.GetProperty("id").GetString());
        var decision = reply.Body.GetProperty("decision");
        Assert.True(decision.GetProperty("followUp").GetBoolean());
        Assert.Equal("activate_my_card", decision.GetProperty("intent").GetString());
        Assert.NotEqual("Auto", decision.GetProperty("band").GetString());
        Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == BandGate.FollowUpCode);
        var messages = reply.Body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["conv-1", "conv-1-b"], messages.Select(m => m.GetProperty("externalId").GetString()));
        Assert.Equal("conv-1", messages[1].GetProperty("inReplyTo").GetString());
        Assert.Equal("open", reply.Body.GetProperty("state").GetString());

        await using var db = host.Factory.Database();
        var ticketId = Guid.Parse(id!);
        var decisions = await db.Decisions.AsNoTracking().IgnoreQueryFilters().Where(d => d.TicketId == ticketId).OrderBy(d => d.CreatedAt).ToListAsync();
        Assert.Equal(2, decisions.Count);
        Assert.NotNull(decisions[0].SupersededAt);
        Assert.Null(decisions[1].SupersededAt);
        Assert.Equal(decisions[1].Id, (await db.Tickets.Include(t => t.Decision).SingleAsync(t => t.Id == ticketId)).Decision!.Id);
        Assert.Empty(await db.OutboxMessages.Where(m => m.TicketId == ticketId).ToListAsync());
        Assert.Contains(await db.AuditEvents.Where(e => e.EntityId == id).Select(e => e.Action).ToListAsync(), a => a == "ticket.rerouted");
    }

    [Fact]
    public async Task AFollowUpPostedAgainIsStoredOnceAndEveryAnswerNamesTheTicket()
    {
        var first = await host.PostAsync(new { externalId = "conv-2", customerId = "C0022", channel = "chat", body = SuggestedText });
        var follow = new { externalId = "conv-2-b", customerId = "C0022", channel = "chat", body = "It happened again today.", inReplyTo = "conv-2" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.PostAsync(follow)));

        Assert.All(answers, a => Assert.Equal(first.Body.GetProperty("id").GetString(), a.Body.GetProperty("id").GetString()));
        Assert.Single(answers, a => a.Status is HttpStatusCode.Created or HttpStatusCode.Accepted);
        await using var db = host.Factory.Database();
        Assert.Equal(1, await db.TicketMessages.CountAsync(m => m.Channel == "chat" && m.ExternalId == "conv-2-b"));
        var ticketId = Guid.Parse(first.Body.GetProperty("id").GetString()!);
        Assert.Equal(2, await db.Decisions.IgnoreQueryFilters().CountAsync(d => d.TicketId == ticketId));
    }

    [Theory]
    [InlineData("It happened again yesterday.", "conv-5")]
    [InlineData("It happened again today.", null)]
    public async Task AFollowUpRepeatedWithOtherContentIsAConflictAndStoresNothing(string body, string? inReplyTo)
    {
        await host.PostAsync(new { externalId = "conv-5", customerId = "C0025", channel = "chat", body = SuggestedText });
        var externalId = $"conv-5-b-{body.Length}-{inReplyTo}";
        var follow = await host.PostAsync(new { externalId, customerId = "C0025", channel = "chat", body = "It happened again today.", inReplyTo = "conv-5" });
        Assert.True(follow.Status is HttpStatusCode.Created or HttpStatusCode.Accepted);
        await using var before = host.Factory.Database();
        var messages = await before.TicketMessages.CountAsync();

        var repeat = await host.PostAsync(new { externalId, customerId = "C0025", channel = "chat", body, inReplyTo });

        Assert.Equal(HttpStatusCode.Conflict, repeat.Status);
        Assert.Equal("External id already used", repeat.Body.GetProperty("title").GetString());
        await using var after = host.Factory.Database();
        Assert.Equal(messages, await after.TicketMessages.CountAsync());
    }

    [Theory]
    [InlineData("no-such-message", "C0023")]
    [InlineData("conv-3", "C9999")]
    public async Task AFollowUpOfAnUnknownMessageOrAnotherCustomersIsRefusedAndNothingIsStored(string inReplyTo, string customer)
    {
        await host.PostAsync(new { externalId = "conv-3", customerId = "C0023", channel = "email", body = SuggestedText });
        await using var before = host.Factory.Database();
        var tickets = await before.Tickets.CountAsync();
        var messages = await before.TicketMessages.CountAsync();

        var refused = await host.PostAsync(new { externalId = $"conv-3-{customer}-{inReplyTo}", customerId = customer, channel = "email", body = "Any news?", inReplyTo });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Body.GetProperty("errors").TryGetProperty("inReplyTo", out _));
        await using var after = host.Factory.Database();
        Assert.Equal(tickets, await after.Tickets.CountAsync());
        Assert.Equal(messages, await after.TicketMessages.CountAsync());
    }

    [Fact]
    public async Task TheCustomersReplyOpensASolvedTicketAgainAndAnswersToTheAutoReplyThread()
    {
        var first = await host.PostAsync(new { externalId = "conv-4", customerId = "C0024", channel = "email", body = AutoText });
        Assert.Equal("Auto", first.Body.GetProperty("decision").GetProperty("band").GetString());
        Assert.Equal("solved", first.Body.GetProperty("state").GetString());
        Assert.Equal("AutoResolved", first.Body.GetProperty("status").GetString());
        var autoReply = first.Body.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "outbound");

        // The customer answers the auto reply itself (its message id is what the channel received).
        var reply = await host.PostAsync(new
        {
            externalId = "conv-4-b", customerId = "C0024", channel = "email", body = "That did not work, the app says my card is blocked.",
            inReplyTo = autoReply.GetProperty("externalId").GetString(),
        });

        Assert.Equal(first.Body.GetProperty("id").GetString(), reply.Body.GetProperty("id").GetString());
        Assert.Equal("open", reply.Body.GetProperty("state").GetString());
        await using var db = host.Factory.Database();
        var ticketId = first.Body.GetProperty("id").GetString();
        Assert.Contains(await db.AuditEvents.Where(e => e.EntityId == ticketId).Select(e => e.Action).ToListAsync(), a => a == "ticket.reopened");
    }

    [Fact]
    public async Task AReplyToAClosedTicketStartsANewTicketThatRemembersWhatItAnswered()
    {
        var first = await host.PostAsync(new { externalId = "conv-5", customerId = "C0025", channel = "email", body = SuggestedText });
        var id = Guid.Parse(first.Body.GetProperty("id").GetString()!);
        var actions = host.Factory.Services.GetRequiredService<TicketActions>();
        Assert.True((await actions.SendAsync(id, await host.VersionAsync(id), "Here is why.", "agent@demo.example")).Succeeded);
        Assert.True((await actions.SetStateAsync(id, await host.VersionAsync(id), TicketState.Closed, "agent@demo.example")).Succeeded);

        var reply = await host.PostAsync(new { externalId = "conv-5-b", customerId = "C0025", channel = "email", body = "One more question about fees.", inReplyTo = "conv-5" });

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.NotEqual(id.ToString(), reply.Body.GetProperty("id").GetString());
        Assert.Equal("conv-5", reply.Body.GetProperty("messages")[0].GetProperty("inReplyTo").GetString());
        await using var db = host.Factory.Database();
        Assert.Equal(TicketStatus.Closed, (await db.Tickets.SingleAsync(t => t.Id == id)).Status);
    }

    [Fact]
    public async Task AFollowUpCostsAreCountedOnceAndARebuildAgreesWithTheLiveRollups()
    {
        var first = await host.PostAsync(new { externalId = "conv-6", customerId = "C0026", channel = "api", body = SuggestedText });
        await host.PostAsync(new { externalId = "conv-6-b", customerId = "C0026", channel = "api", body = "Please explain the fee again.", inReplyTo = "conv-6" });
        var id = Guid.Parse(first.Body.GetProperty("id").GetString()!);
        var actions = host.Factory.Services.GetRequiredService<TicketActions>();
        Assert.True((await actions.SendAsync(id, await host.VersionAsync(id), "The fee is for card payments abroad.", "agent@demo.example")).Succeeded);

        await using var db = host.Factory.Database();
        await RollupChecks.AssertMatchReceiptsAsync(db);
        var live = await RollupChecks.SnapshotAsync(db);
        await host.Factory.Services.GetRequiredService<RollupRebuilder>().RebuildAsync("test");
        await using var after = host.Factory.Database();
        Assert.Equal(live, await RollupChecks.SnapshotAsync(after));
    }

    public sealed class Host : IDisposable
    {
        public AppFactory Factory { get; } = new();

        public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(object ticket)
        {
            using var response = await Factory.Client().PostAsJsonAsync("/api/v1/tickets", ticket);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }

        public async Task<long> VersionAsync(Guid id)
        {
            await using var db = Factory.Database();
            return await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync();
        }

        public void Dispose() => Factory.Dispose();
    }
}
