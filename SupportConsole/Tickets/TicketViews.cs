using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Tickets;

/// <summary>
/// A ticket (a conversation) with everything that explains its current decision, as the API returns it. <c>status</c>
/// keeps its original values; <c>state</c> is the agents' word (open, pending, solved, closed).
/// </summary>
public sealed record TicketView(
    Guid Id,
    string Channel,
    string ExternalId,
    string CustomerId,
    string? Subject,
    string Body,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset IngestedAt,
    DateTimeOffset? DecidedAt,
    DecisionView? Decision,
    DraftView? Draft,
    IReadOnlyList<ReceiptView> Receipts,
    string State,
    string Priority,
    DateTimeOffset? ReplyDueAt,
    string? AssignedTo,
    IReadOnlyList<MessageView> Messages);

/// <summary>One message of the conversation: the customer's (inbound) or a reply sent (outbound).</summary>
public sealed record MessageView(Guid Id, string Direction, string? ExternalId, string? InReplyTo, string Author, string Body, DateTimeOffset At);

/// <summary>What a repeat of a stored ticket tells a key without <c>tickets:read</c>: that it is stored, and its state.</summary>
public sealed record TicketReceipt(Guid Id, string Status, bool Decided);

public sealed record DecisionView(
    string Intent,
    double Confidence,
    bool Certified,
    double? CertificationThreshold,
    double CertificationTarget,
    string Band,
    string PolicyBand,
    IReadOnlyList<DecisionReason> Reasons,
    IReadOnlyList<SourceHit> Sources,
    IReadOnlyList<IntentScore> TopIntents,
    double? Groundedness,
    string RouterVersion,
    string? RetrievalIndexVersion,
    long PolicyVersion,
    bool KillSwitchEngaged,
    decimal CostUsd,
    Guid? MessageId,
    bool FollowUp);

public sealed record DraftView(string Origin, string OriginalText, string? EditedText, string? SentText, string? CitedArticleId, string? CitedSection, string? Model);

public sealed record ReceiptView(string Stage, string Model, string? ModelVersion, bool IsLocal, int InputTokens, int OutputTokens,
    double CpuMilliseconds, double LatencyMilliseconds, decimal CostUsd);

/// <summary>Turns stored tickets into <see cref="TicketView"/>s (the API's answer and the ticket page's data).</summary>
public static class TicketViews
{
    /// <summary>The view of a stored ticket; the decision's lists are read from its row.</summary>
    public static TicketView ToView(Ticket ticket, Decision? d, Draft? draft, IReadOnlyCollection<CostReceipt> receipts, IReadOnlyCollection<TicketMessage> messages) =>
        ToView(ticket, d, d is null ? null : DecisionLists.Read(d), draft, receipts, messages);

    /// <summary>The view of a ticket from the objects its rows were written from (<paramref name="lists"/>: the decision's reasons, sources, top intents).</summary>
    public static TicketView ToView(Ticket ticket, Decision? d, DecisionLists? lists, Draft? draft, IReadOnlyCollection<CostReceipt> receipts,
        IReadOnlyCollection<TicketMessage> messages)
    {
        return new TicketView(
            ticket.Id, ticket.Channel, ticket.ExternalId, ticket.CustomerId, ticket.Subject, ticket.Body, ticket.Status.ToString(),
            ticket.ReceivedAt, ticket.IngestedAt, ticket.DecidedAt,
            d is null || lists is null ? null : new DecisionView(
                d.Intent, d.Confidence, d.Certified, d.CertificationThreshold, d.CertificationTarget, d.Band.ToString(), d.PolicyBand.ToString(),
                lists.Reasons, lists.Sources, lists.TopIntents,
                d.Groundedness, d.RouterVersion, d.RetrievalIndexVersion, d.PolicyVersion, d.KillSwitchEngaged, Usd(d.CostNanosUsd), d.MessageId, d.FollowUp),
            draft is not null
                ? new DraftView(draft.Origin.ToString(), draft.OriginalText, draft.EditedText, draft.SentText, draft.CitedArticleId, draft.CitedSection, draft.Model)
                : null,
            [.. receipts.OrderBy(r => r.CreatedAt).ThenBy(r => Stages.Position(r.Stage)).Select(r => new ReceiptView(r.Stage, r.Model, r.ModelVersion, r.IsLocal,
                r.InputTokens, r.OutputTokens, r.CpuMilliseconds, r.LatencyMilliseconds, Usd(r.CostNanosUsd)))],
            TicketWords.StateOf(ticket.Status).ToString().ToLowerInvariant(),
            ticket.Priority.ToString().ToLowerInvariant(),
            ticket.ReplyDueAt,
            ticket.AssignedTo,
            [.. messages.OrderBy(m => m.At).ThenBy(m => m.CreatedAt).Select(m => new MessageView(m.Id, m.Direction.ToString().ToLowerInvariant(), m.ExternalId,
                m.InReplyTo, m.Author, m.Body, m.At))]);
    }

    public static decimal Usd(long nanos) => nanos / 1_000_000_000m;
}
