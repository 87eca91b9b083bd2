using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;
using SupportConsole.Tests.TestSupport;
using SupportConsole.Tickets;

namespace SupportConsole.Tests.Tickets;

/// <summary>How agents work tickets, on the real app and database: notes, assignment, statuses, bulk actions, queue order.</summary>
public sealed class TicketWorkflowTests(TicketWorkflowTests.Host host) : IClassFixture<TicketWorkflowTests.Host>
{
    private const string Agent = "agent@demo.example";
    private const string SuggestedText = "Why was I charged a fee when I paid with my card?";

    private TicketActions Actions => host.Factory.Services.GetRequiredService<TicketActions>();

    [Fact]
    public async Task AnInternalNoteIsStoredForAgentsAndNeverSent()
    {
        var id = await host.IngestAsync("note-1", "C0031", SuggestedText);
        await using var before = host.Factory.Database();
        var outbox = await before.OutboxMessages.CountAsync();

        var added = await Actions.AddNoteAsync(id, "Customer called as well; do not refund twice.", Agent);

        Assert.True(added.Succeeded, added.Message);
        await using var db = host.Factory.Database();
        Assert.Equal(outbox, await db.OutboxMessages.CountAsync());
        Assert.Equal("Customer called as well; do not refund twice.", (await db.TicketNotes.SingleAsync(n => n.TicketId == id)).Body);
        Assert.DoesNotContain(await db.TicketMessages.Where(m => m.TicketId == id).Select(m => m.Body).ToListAsync(), b => b.Contains("refund twice"));
        var detail = await host.Factory.Services.GetRequiredService<TicketDetails>().LoadAsync(id);
        Assert.Contains(detail!.Thread, e => e.Kind == ThreadEntryKind.Note && e.Author == Agent);
        Assert.Contains(detail.History, h => h.What == "Internal note");
    }

    [Fact]
    public async Task TakingATicketSomeoneElseTookIsRefusedWithTheirName()
    {
        var id = await host.IngestAsync("take-1", "C0032", SuggestedText);

        var first = await Actions.AssignAsync(id, "maja@demo.example", "maja@demo.example", onlyIfUnassigned: true);
        var second = await Actions.AssignAsync(id, Agent, Agent, onlyIfUnassigned: true);
        var given = await Actions.AssignAsync(id, Agent, "manager@demo.example");

        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Contains("maja@demo.example took this ticket first", second.Message);
        Assert.True(given.Succeeded);
        await using var db = host.Factory.Database();
        Assert.Equal(Agent, (await db.Tickets.SingleAsync(t => t.Id == id)).AssignedTo);
    }

    [Fact]
    public async Task AReplyThatWaitsOnTheCustomerIsPendingUntilTheyAnswer()
    {
        var id = await host.IngestAsync("pending-1", "C0033", SuggestedText);

        var sent = await Actions.SendAsync(id, await host.VersionAsync(id), "Which card did you pay with?", Agent, AfterReply.Pending);

        Assert.True(sent.Succeeded, sent.Message);
        Assert.Contains("waits on the customer", sent.Message);
        await using (var db = host.Factory.Database())
        {
            var ticket = await db.Tickets.SingleAsync(t => t.Id == id);
            Assert.Equal(TicketStatus.Pending, ticket.Status);
            Assert.Null(ticket.ReplyDueAt);
            Assert.Equal(Agent, ticket.AssignedTo);
        }

        await host.PostAsync(new { externalId = "pending-1-b", customerId = "C0033", channel = "email", body = "The one ending 4821.", inReplyTo = "pending-1" });

        await using var after = host.Factory.Database();
        var reopened = await after.Tickets.SingleAsync(t => t.Id == id);
        Assert.Equal(TicketState.Open, TicketWords.StateOf(reopened.Status));
        Assert.NotNull(reopened.ReplyDueAt);
    }

    [Fact]
    public async Task AnEscalatedTicketWithoutADraftSaysReplySent()
    {
        // Uncertified and no cloud model: escalated with no draft.
        var id = await host.IngestAsync("nodraft-1", "C0034", "Is your office open on bank holidays, and can I visit it?");
        await using (var db = host.Factory.Database())
        {
            Assert.Null(await db.Drafts.FirstOrDefaultAsync(d => d.TicketId == id));
        }

        var sent = await Actions.SendAsync(id, await host.VersionAsync(id), "We are open 9 to 5 on bank holidays.", Agent);

        Assert.Equal("Reply sent.", sent.Message);
    }

    [Fact]
    public async Task ABulkActionChangesWhatItCanAndSaysWhatItLeft()
    {
        var a = await host.IngestAsync("bulk-1", "C0035", SuggestedText);
        var b = await host.IngestAsync("bulk-2", "C0035", SuggestedText);
        var answered = await host.IngestAsync("bulk-3", "C0035", SuggestedText);
        Assert.True((await Actions.SendAsync(answered, await host.VersionAsync(answered), "Done.", Agent)).Succeeded);

        var escalated = await Actions.BulkAsync([a, b, answered], BulkAction.Escalate, null, Agent);
        var assigned = await Actions.BulkAsync([a, b], BulkAction.Assign, "maja@demo.example", Agent);
        var solved = await Actions.BulkAsync([a, b], BulkAction.Solve, null, Agent);

        Assert.Equal(2, escalated.Changed);
        Assert.Single(escalated.Skipped);
        Assert.Equal(2, assigned.Changed);
        Assert.Equal(2, solved.Changed);
        await using var db = host.Factory.Database();
        Assert.All(await db.Tickets.Where(t => t.Id == a || t.Id == b).ToListAsync(), t =>
        {
            Assert.Equal(TicketStatus.Solved, t.Status);
            Assert.Equal("maja@demo.example", t.AssignedTo);
        });
    }

    [Fact]
    public async Task TheEscalatedQueueSortsByTimeLeftWithUrgentFirstAndOldestFirstByDefault()
    {
        var normal = await host.IngestAsync("sla-normal", "C0036", "Is your office open on bank holidays, and can I visit it?");
        var high = await host.IngestAsync("sla-high", "C0036", "I will call my lawyer about the fee you charged.");
        var urgent = await host.IngestAsync("sla-urgent", "C0036", "I feel like I want to die, everything is going wrong with my money.");
        var queries = host.Factory.Services.GetRequiredService<QueueQueries>();
        var filter = new QueueFilter(Customer: "C0036");

        var (byDue, _) = await queries.PageAsync(Queue.Escalated, filter, new QueueOrder(QueueSort.TimeLeft, false), 0, 25);
        var (byDefault, _) = await queries.PageAsync(Queue.Escalated, filter, 0, 25);

        Assert.Equal([urgent, high, normal], byDue.Select(r => r.Id));
        Assert.Equal([TicketPriority.Urgent, TicketPriority.High, TicketPriority.Normal], byDue.Select(r => r.Priority));
        Assert.Equal([normal, high, urgent], byDefault.Select(r => r.Id));
        Assert.All(byDue, r => Assert.NotNull(r.ReplyDueAt));
    }

    [Fact]
    public async Task TheIntentFilterMatchesPartsOfNamesAndNextSkipsOtherPeoplesTickets()
    {
        var mine = await host.IngestAsync("next-1", "C0037", SuggestedText);
        var theirs = await host.IngestAsync("next-2", "C0037", SuggestedText);
        var free = await host.IngestAsync("next-3", "C0037", SuggestedText);
        Assert.True((await Actions.AssignAsync(theirs, "maja@demo.example", "maja@demo.example")).Succeeded);
        var queries = host.Factory.Services.GetRequiredService<QueueQueries>();

        var (matching, _) = await queries.PageAsync(Queue.Suggest, new QueueFilter(Intent: "fee charged", Customer: "C0037"), 0, 25);
        var next = await queries.NextAsync(Queue.Suggest, mine, Agent, skip: []);
        var nextNotViewed = await queries.NextAsync(Queue.Suggest, mine, Agent, skip: [free]);

        Assert.Equal(3, matching.Count);
        Assert.All(matching, r => Assert.Contains("fee_charged", r.Intent));
        Assert.NotEqual(theirs, next);
        Assert.NotEqual(mine, next);
        Assert.NotEqual(free, nextNotViewed);
        Assert.NotEqual(theirs, nextNotViewed);
    }

    public sealed class Host : IDisposable
    {
        public AppFactory Factory { get; } = new();

        public async Task<Guid> IngestAsync(string externalId, string customerId, string body)
        {
            var ticket = await PostAsync(new { externalId, customerId, channel = "email", body });
            return Guid.Parse(ticket.GetProperty("id").GetString()!);
        }

        public async Task<JsonElement> PostAsync(object ticket)
        {
            using var response = await Factory.Client().PostAsJsonAsync("/api/v1/tickets", ticket);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        public async Task<long> VersionAsync(Guid id)
        {
            await using var db = Factory.Database();
            return await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync();
        }

        public void Dispose() => Factory.Dispose();
    }
}
