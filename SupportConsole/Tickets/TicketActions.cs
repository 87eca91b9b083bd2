using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Delivery;
using SupportConsole.Engine.Drafting;
using SupportConsole.Identity;

namespace SupportConsole.Tickets;

/// <summary>What the ticket becomes once an agent's reply is sent.</summary>
public enum AfterReply
{
    /// <summary>Solved: the customer's reply opens it again.</summary>
    Solved,

    /// <summary>Pending: the agent asked something and waits on the customer.</summary>
    Pending,
}

/// <summary>What a bulk action does to each selected ticket.</summary>
public enum BulkAction
{
    Assign,
    Escalate,
    Solve,
}

/// <summary>The outcome of a bulk action: how many tickets it changed, and why the others were left.</summary>
public sealed record BulkResult(int Changed, IReadOnlyList<string> Skipped)
{
    public string Message => Skipped.Count == 0 ? $"{Changed} ticket(s) changed." : $"{Changed} ticket(s) changed, {Skipped.Count} left as they were: {string.Join("; ", Skipped.Take(3))}";
}

/// <summary>
/// What agents do with a ticket: send a reply (the draft as written or edited, or their own), reject the draft with a
/// reason, escalate, correct the intent (a training label), solve, close or reopen, add an internal note, take or
/// assign it. Every change of the conversation checks the ticket's version, so of two agents acting at once exactly one
/// wins and the other is told; notes and assignment do not (they change nothing another agent is writing against).
/// Every action is audited and tells open pages.
/// </summary>
public sealed class TicketActions(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    OutboxSignal outbox,
    ChangeFeed changes,
    Microsoft.Extensions.Options.IOptionsMonitor<SlaOptions> sla,
    TimeProvider clock)
{
    public const int MaxReplyLength = 20_000;
    public const int MaxNoteLength = 10_000;

    public Task<ActionResult> SendAsync(Guid ticketId, long version, string text, string actor, CancellationToken cancellationToken = default) =>
        SendAsync(ticketId, version, text, actor, AfterReply.Solved, cancellationToken);

    public Task<ActionResult> SendAsync(Guid ticketId, long version, string text, string actor, AfterReply after, CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "ticket.sent", cancellationToken, (db, ticket, now) =>
        {
            if (ticket.Status is not (TicketStatus.AwaitingApproval or TicketStatus.Escalated or TicketStatus.Pending))
            {
                return ActionResult.Failed($"This ticket is {TicketWords.State(ticket.Status).ToLowerInvariant()} ({TicketWords.Where(ticket.Status).ToLowerInvariant()}); reopen it to reply.");
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return ActionResult.Failed("The reply is empty.");
            }

            if (text.Length > MaxReplyLength)
            {
                return ActionResult.Failed($"The reply is longer than {MaxReplyLength} characters.");
            }

            // A draft answers the ticket until it was sent or rejected; after that the agent writes their own reply.
            var draft = ticket.Draft;
            var answersDraft = draft is { SentText: null } && draft.Review != DraftReview.Rejected;
            var edited = draft is null || !string.Equals(Normalize(draft.OriginalText), Normalize(text), StringComparison.Ordinal);
            if (answersDraft)
            {
                draft!.EditedText = edited ? text : null;
                draft.SentText = text;
                draft.EditedBy = actor;
                draft.EditedAt = now;
                if (ticket.Status == TicketStatus.AwaitingApproval)
                {
                    // The verdict on the suggestion, for the edit rate (a reply to an escalated ticket is not one).
                    draft!.Review = edited ? DraftReview.Edited : DraftReview.Approved;
                    draft.EditShare = edited ? EditMeasure.ChangedShare(Normalize(draft.OriginalText), Normalize(text)) : 0;
                    draft.ReviewedAt = now;
                }
            }

            ticket.FirstResponseAt ??= now;
            ticket.Status = after == AfterReply.Pending ? TicketStatus.Pending : TicketStatus.Answered;
            ticket.ReplyDueAt = null;
            ticket.LastMessageAt = now;
            ticket.AssignedTo ??= actor;
            var cited = answersDraft ? draft : null;
            var message = OutboxMessage.Reply(ticket, text, cited?.CitedArticleId, citedArticleTitle: null, cited?.CitedSection, actor, now);
            db.OutboxMessages.Add(message);
            db.TicketMessages.Add(TicketMessage.Reply(ticket, message, text, actor, now));
            var sent = !answersDraft ? "Reply sent." : edited ? "Edited reply sent." : "Draft approved and sent.";
            return ActionResult.Ok(after == AfterReply.Pending ? $"{sent} The ticket waits on the customer." : sent);
        }, details: ticket => new { edited = ticket.Draft?.EditedText is not null, length = text.Length, status = ticket.Status.ToString() });

    public Task<ActionResult> RejectAsync(Guid ticketId, long version, string reason, string actor, CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "draft.rejected", cancellationToken, (_, ticket, now) =>
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                return ActionResult.Failed("Give a reason for rejecting the draft.");
            }

            if (ticket.Status != TicketStatus.AwaitingApproval)
            {
                return ActionResult.Failed($"This ticket is {TicketWords.Where(ticket.Status).ToLowerInvariant()}; only a draft waiting for approval can be rejected.");
            }

            ticket.Status = TicketStatus.Escalated;
            if (ticket.Draft is { } draft)
            {
                draft.Review = DraftReview.Rejected;
                draft.ReviewedAt = now;
            }

            return ActionResult.Ok("Draft rejected; the ticket moved to Escalated.");
        }, details: _ => new { reason });

    public Task<ActionResult> EscalateAsync(Guid ticketId, long version, string actor, CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "ticket.escalated", cancellationToken, (_, ticket, _) => Escalate(ticket));

    /// <summary>Records the right intent as a training label (used by retraining); the ticket stays where it is.</summary>
    public Task<ActionResult> CorrectIntentAsync(Guid ticketId, long version, string intent, IReadOnlyCollection<string> knownIntents, string actor,
        CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "intent.corrected", cancellationToken, (db, ticket, _) =>
        {
            if (!knownIntents.Contains(intent))
            {
                return ActionResult.Failed($"'{intent}' is not an intent the router knows.");
            }

            // The label goes with the text the current decision routed: the ticket's own, or the follow-up's.
            if (ticket.Decision is { FollowUp: true, MessageId: { } messageId }
                && db.TicketMessages.FirstOrDefault(m => m.Id == messageId) is { } followUp)
            {
                followUp.LabelledIntent = intent;
            }
            else
            {
                ticket.LabelledIntent = intent;
            }

            return ActionResult.Ok($"Intent recorded as {intent} for training.");
        }, details: ticket => new { from = ticket.Decision?.Intent, to = intent });

    /// <summary>Solves, closes or reopens a ticket (open and pending tickets are solved; solved ones closed or reopened).</summary>
    public Task<ActionResult> SetStateAsync(Guid ticketId, long version, TicketState target, string actor, CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, target switch
        {
            TicketState.Solved => "ticket.solved",
            TicketState.Closed => "ticket.closed",
            _ => "ticket.reopened",
        }, cancellationToken, (_, ticket, now) => target switch
        {
            TicketState.Solved => Solve(ticket),
            TicketState.Closed => Close(ticket),
            TicketState.Open => Reopen(ticket, now),
            _ => ActionResult.Failed($"A ticket cannot be set to {target.ToString().ToLowerInvariant()} from here."),
        }, details: ticket => new { status = ticket.Status.ToString() });

    /// <summary>An internal note on the ticket: shown to agents only, never sent.</summary>
    public async Task<ActionResult> AddNoteAsync(Guid ticketId, string text, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ActionResult.Failed("The note is empty.");
        }

        if (text.Length > MaxNoteLength)
        {
            return ActionResult.Failed($"The note is longer than {MaxNoteLength} characters.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Tickets.AnyAsync(t => t.Id == ticketId, cancellationToken))
        {
            return ActionResult.Failed("This ticket no longer exists.");
        }

        var now = clock.GetUtcNow();
        var note = new TicketNote { TicketId = ticketId, Author = actor, Body = text.Trim(), CreatedAt = now };
        db.TicketNotes.Add(note);
        db.AuditEvents.Add(AuditEvent.Record(now, actor, "note.added", "ticket", ticketId.ToString(), JsonSerializer.Serialize(new { noteId = note.Id, length = note.Body.Length })));
        await db.SaveChangesAsync(cancellationToken);
        changes.Publish(TicketTopics.Changed, new TicketChanged(ticketId, string.Empty, null, "note.added"));
        return ActionResult.Ok("Note added (agents only; the customer does not see it).");
    }

    /// <summary>
    /// Assigns the ticket to <paramref name="assignee"/> (a user name; null unassigns). Taking a ticket
    /// (<paramref name="onlyIfUnassigned"/>) fails when someone else took it first.
    /// </summary>
    public async Task<ActionResult> AssignAsync(Guid ticketId, string? assignee, string actor, bool onlyIfUnassigned = false,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var query = db.Tickets.Where(t => t.Id == ticketId);
        if (onlyIfUnassigned)
        {
            query = query.Where(t => t.AssignedTo == null || t.AssignedTo == assignee);
        }

        var changed = await query.ExecuteUpdateAsync(s => s.SetProperty(t => t.AssignedTo, assignee).SetProperty(t => t.AssignedAt, assignee == null ? null : now),
            cancellationToken);
        if (changed == 0)
        {
            var holder = await db.Tickets.Where(t => t.Id == ticketId).Select(t => new { t.AssignedTo }).FirstOrDefaultAsync(cancellationToken);
            return ActionResult.Failed(holder is null ? "This ticket no longer exists." : $"{holder.AssignedTo} took this ticket first.");
        }

        db.AuditEvents.Add(AuditEvent.Record(now, actor, assignee is null ? "ticket.unassigned" : "ticket.assigned", "ticket", ticketId.ToString(),
            JsonSerializer.Serialize(new { assignee })));
        await db.SaveChangesAsync(cancellationToken);
        changes.Publish(TicketTopics.Changed, new TicketChanged(ticketId, string.Empty, null, "ticket.assigned"));
        return ActionResult.Ok(assignee is null ? "Ticket unassigned." : assignee == actor ? "You took this ticket." : $"Assigned to {assignee}.");
    }

    /// <summary>One action on every selected ticket, each on its current state; what could not be done is reported.</summary>
    public async Task<BulkResult> BulkAsync(IReadOnlyCollection<Guid> ticketIds, BulkAction action, string? assignee, string actor,
        CancellationToken cancellationToken = default)
    {
        var changed = 0;
        var skipped = new List<string>();
        foreach (var id in ticketIds.Distinct())
        {
            ActionResult result;
            if (action == BulkAction.Assign)
            {
                result = await AssignAsync(id, assignee, actor, cancellationToken: cancellationToken);
            }
            else
            {
                long version;
                await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
                {
                    version = await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).FirstOrDefaultAsync(cancellationToken);
                }

                result = action == BulkAction.Escalate
                    ? await ActAsync(id, version, actor, "ticket.escalated", cancellationToken, (_, ticket, _) => Escalate(ticket))
                    : await SetStateAsync(id, version, TicketState.Solved, actor, cancellationToken);
            }

            if (result.Succeeded)
            {
                changed++;
            }
            else
            {
                skipped.Add(result.Message);
            }
        }

        return new BulkResult(changed, skipped);
    }

    private static ActionResult Escalate(Ticket ticket)
    {
        if (ticket.Status != TicketStatus.AwaitingApproval)
        {
            return ActionResult.Failed($"This ticket is {TicketWords.Where(ticket.Status).ToLowerInvariant()}; only a draft waiting for approval can be escalated.");
        }

        ticket.Status = TicketStatus.Escalated;
        return ActionResult.Ok("Ticket escalated.");
    }

    private static ActionResult Solve(Ticket ticket)
    {
        if (TicketWords.StateOf(ticket.Status) is not (TicketState.Open or TicketState.Pending) || ticket.Status == TicketStatus.Received)
        {
            return ActionResult.Failed($"This ticket is {TicketWords.State(ticket.Status).ToLowerInvariant()}; only open or pending tickets can be solved.");
        }

        ticket.Status = TicketStatus.Solved;
        ticket.ReplyDueAt = null;
        return ActionResult.Ok("Ticket solved.");
    }

    private static ActionResult Close(Ticket ticket)
    {
        if (TicketWords.StateOf(ticket.Status) is not (TicketState.Solved or TicketState.Pending))
        {
            return ActionResult.Failed($"This ticket is {TicketWords.State(ticket.Status).ToLowerInvariant()}; solve it before closing it.");
        }

        ticket.Status = TicketStatus.Closed;
        ticket.ReplyDueAt = null;
        return ActionResult.Ok("Ticket closed; the customer's next message starts a new ticket.");
    }

    private ActionResult Reopen(Ticket ticket, DateTimeOffset now)
    {
        if (TicketWords.StateOf(ticket.Status) is not (TicketState.Solved or TicketState.Pending))
        {
            return ActionResult.Failed($"This ticket is {TicketWords.State(ticket.Status).ToLowerInvariant()}; only solved or pending tickets can be reopened.");
        }

        ticket.Status = TicketStatus.Escalated;
        ticket.ReplyDueAt = now + sla.CurrentValue.TargetFor(ticket.Priority);
        return ActionResult.Ok("Ticket reopened; it is with a person again.");
    }

    private async Task<ActionResult> ActAsync(Guid ticketId, long version, string actor, string action, CancellationToken cancellationToken,
        Func<SupportConsoleDbContext, Ticket, DateTimeOffset, ActionResult> apply, Func<Ticket, object>? details = null)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.Include(t => t.Draft).Include(t => t.Decision).FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken);
        if (ticket is null)
        {
            return ActionResult.Failed("This ticket no longer exists.");
        }

        if (ticket.Version != version)
        {
            return ActionResult.Failed("Someone else changed this ticket while you were looking at it (or the customer wrote again). It has been reloaded; nothing you entered was saved.");
        }

        var now = clock.GetUtcNow();
        var reported = CostRollups.Snapshot(ticket);
        var result = apply(db, ticket, now);
        if (!result.Succeeded)
        {
            return result;
        }

        ticket.Version++;
        db.AuditEvents.Add(AuditEvent.Record(now, actor, action, "ticket", ticket.Id.ToString(), details is null ? null : JsonSerializer.Serialize(details(ticket))));
        try
        {
            // The rollups of the ticket's decision day change with it, in the same transaction.
            var rollupRows = CostRollups.ChangesSince(ticket, reported);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await CostRollups.ApplyAsync(db, rollupRows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionResult.Failed("Someone else changed this ticket at the same moment. It has been reloaded; nothing you entered was saved.");
        }

        outbox.Notify();
        changes.Publish(TicketTopics.Changed, new TicketChanged(ticket.Id, ticket.Status.ToString(), ticket.Decision?.Band.ToString(), action));
        return result;
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").Trim();
}
