using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Pipeline;

namespace SupportConsole.Tickets;

/// <summary>The result of an agent's action: done, or why not (another agent got there first, bad input...).</summary>
public sealed record ActionResult(bool Succeeded, string Message)
{
    public static ActionResult Ok(string message) => new(true, message);

    public static ActionResult Failed(string message) => new(false, message);
}

/// <summary>
/// What agents do with a ticket: send the draft (as written or edited), reject it with a reason, correct the intent
/// (a training label), escalate. Every action checks the ticket's version, so of two agents acting at once exactly
/// one wins and the other is told; every action is audited.
/// </summary>
public sealed class TicketActions(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    OutboxSignal outbox,
    TicketEvents events,
    TimeProvider clock)
{
    public const int MaxReplyLength = 20_000;

    public Task<ActionResult> SendAsync(Guid ticketId, long version, string text, string actor, CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "ticket.sent", cancellationToken, (db, ticket, now) =>
        {
            if (ticket.Status is not (TicketStatus.AwaitingApproval or TicketStatus.Escalated))
            {
                return ActionResult.Failed($"This ticket is {ticket.Status} and cannot be answered from here.");
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return ActionResult.Failed("The reply is empty.");
            }

            if (text.Length > MaxReplyLength)
            {
                return ActionResult.Failed($"The reply is longer than {MaxReplyLength} characters.");
            }

            var draft = ticket.Draft;
            var edited = draft is null || !string.Equals(Normalize(draft.OriginalText), Normalize(text), StringComparison.Ordinal);
            if (draft is not null)
            {
                draft.EditedText = edited ? text : null;
                draft.SentText = text;
                draft.EditedBy = actor;
                draft.EditedAt = now;
                if (ticket.Status == TicketStatus.AwaitingApproval)
                {
                    // The verdict on the suggestion, for the edit rate (a reply to an escalated ticket is not one).
                    draft.Review = edited ? DraftReview.Edited : DraftReview.Approved;
                    draft.EditShare = edited ? EditMeasure.ChangedShare(Normalize(draft.OriginalText), Normalize(text)) : 0;
                    draft.ReviewedAt = now;
                }
            }

            ticket.FirstResponseAt ??= now;

            ticket.Status = TicketStatus.Answered;
            db.OutboxMessages.Add(OutboxMessage.Reply(ticket, text, draft?.CitedArticleId, citedArticleTitle: null, draft?.CitedSection, actor, now));
            return ActionResult.Ok(edited ? "Edited reply sent." : "Draft approved and sent.");
        }, details: ticket => new { edited = ticket.Draft?.EditedText is not null, length = text.Length });

    public Task<ActionResult> RejectAsync(Guid ticketId, long version, string reason, string actor, CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "draft.rejected", cancellationToken, (_, ticket, now) =>
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                return ActionResult.Failed("Give a reason for rejecting the draft.");
            }

            if (ticket.Status != TicketStatus.AwaitingApproval)
            {
                return ActionResult.Failed($"This ticket is {ticket.Status}; only suggested drafts can be rejected.");
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
        ActAsync(ticketId, version, actor, "ticket.escalated", cancellationToken, (_, ticket, _) =>
        {
            if (ticket.Status != TicketStatus.AwaitingApproval)
            {
                return ActionResult.Failed($"This ticket is {ticket.Status}; only suggested tickets can be escalated.");
            }

            ticket.Status = TicketStatus.Escalated;
            return ActionResult.Ok("Ticket escalated.");
        });

    /// <summary>Records the right intent as a training label (used by retraining); the ticket stays where it is.</summary>
    public Task<ActionResult> CorrectIntentAsync(Guid ticketId, long version, string intent, IReadOnlyCollection<string> knownIntents, string actor,
        CancellationToken cancellationToken = default) =>
        ActAsync(ticketId, version, actor, "intent.corrected", cancellationToken, (_, ticket, _) =>
        {
            if (!knownIntents.Contains(intent))
            {
                return ActionResult.Failed($"'{intent}' is not an intent the router knows.");
            }

            ticket.LabelledIntent = intent;
            return ActionResult.Ok($"Intent recorded as {intent} for training.");
        }, details: ticket => new { from = ticket.Decision?.Intent, to = intent });

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
            return ActionResult.Failed("Someone else changed this ticket while you were looking at it. It has been reloaded; nothing you entered was saved.");
        }

        var now = clock.GetUtcNow();
        var reported = Reporting.CostRollups.Snapshot(ticket);
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
            var rollupRows = Reporting.CostRollups.ChangesSince(ticket, reported);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await Reporting.CostRollups.ApplyAsync(db, rollupRows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionResult.Failed("Someone else changed this ticket at the same moment. It has been reloaded; nothing you entered was saved.");
        }

        outbox.Notify();
        events.Publish(new TicketChanged(ticket.Id, ticket.Status.ToString(), ticket.Decision?.Band.ToString(), action));
        return result;
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").Trim();
}
