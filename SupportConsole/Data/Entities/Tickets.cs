using SupportConsole.Engine.Gate;

namespace SupportConsole.Data.Entities;

/// <summary>
/// Where a ticket is in its life; the queues are views over this. Agents see four words for it (open, pending, solved,
/// closed: <see cref="Tickets.TicketWords"/>); the values name which queue holds an open ticket.
/// </summary>
public enum TicketStatus
{
    /// <summary>Stored, not yet through the pipeline (picked up again after a crash).</summary>
    Received,

    /// <summary>Answered automatically; the reply is in the outbox. Solved.</summary>
    AutoResolved,

    /// <summary>Waiting for an agent to approve, edit or reject the draft. Open, in the Suggest queue.</summary>
    AwaitingApproval,

    /// <summary>Handed to a person. Open, in the Escalated queue.</summary>
    Escalated,

    /// <summary>An agent sent a reply. Solved.</summary>
    Answered,

    /// <summary>Done for good: the customer's next message starts a new ticket.</summary>
    Closed,

    /// <summary>A historical, already-labelled ticket imported for training; never routed.</summary>
    Historical,

    /// <summary>An agent replied and waits for the customer; the customer's reply opens it again.</summary>
    Pending,

    /// <summary>An agent marked it solved without a reply (a thank-you, a duplicate); the customer's reply opens it again.</summary>
    Solved,
}

public enum ConfidenceBand
{
    Auto,
    Suggest,
    Escalate,
}

public sealed class Ticket
{
    public Guid Id { get; set; }

    public required string Channel { get; set; }

    public required string ExternalId { get; set; }

    public required string CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public string? Subject { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset IngestedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>When the customer first got an answer: the decision for auto, the agent's send otherwise.</summary>
    public DateTimeOffset? FirstResponseAt { get; set; }

    public TicketStatus Status { get; set; }

    /// <summary>A known intent for historical or labelled tickets (training data), not the router's guess.</summary>
    public string? LabelledIntent { get; set; }

    /// <summary>Failures of the pipeline on this ticket so far (recovery gives up after a few).</summary>
    public int ProcessingAttempts { get; set; }

    public string? LastProcessingError { get; set; }

    public long Version { get; set; }

    /// <summary>From the hard rules that fired (a vulnerable customer is urgent); never lowered by a later message.</summary>
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;

    /// <summary>When the customer's unanswered message must be answered by (the target of its priority); null when nothing waits.</summary>
    public DateTimeOffset? ReplyDueAt { get; set; }

    /// <summary>The user name (email) of the agent working the ticket; null when nobody took it.</summary>
    public string? AssignedTo { get; set; }

    public DateTimeOffset? AssignedAt { get; set; }

    /// <summary>When the last message of the conversation (either way) was stored.</summary>
    public DateTimeOffset? LastMessageAt { get; set; }

    /// <summary>The current decision: the routing of the conversation's latest customer message (earlier ones are superseded).</summary>
    public Decision? Decision { get; set; }

    /// <summary>The current draft (of the current decision).</summary>
    public Draft? Draft { get; set; }

    public List<CostReceipt> Receipts { get; set; } = [];

    /// <summary>The conversation: the customer's messages (the first is the ticket's own) and the replies sent, in order.</summary>
    public List<TicketMessage> Messages { get; set; } = [];

    public List<TicketNote> Notes { get; set; } = [];
}

/// <summary>Which way a message of a conversation went.</summary>
public enum MessageDirection
{
    /// <summary>From the customer.</summary>
    Inbound,

    /// <summary>To the customer: an auto reply or an agent's.</summary>
    Outbound,
}

/// <summary>
/// One message of a ticket's conversation. A channel attaches its own ids: <see cref="ExternalId"/> is the message's id
/// on its channel (unique per channel, so ingest stays idempotent for follow-ups too; for an outbound reply, the outbox
/// message id the receiver sees), <see cref="InReplyTo"/> the id it answered, <see cref="ThreadKey"/> a channel's
/// thread id (a chat conversation, an email thread root); any of them finds the ticket again.
/// </summary>
public sealed class TicketMessage
{
    public const int MaxIdLength = 256;

    /// <summary>The longest hold sentence kept with a message (its column's size).</summary>
    public const int MaxHoldDetailLength = 512;

    /// <summary>The first message of a ticket has the ticket's id; later ones are time-ordered ids of their own.</summary>
    public Guid Id { get; set; }

    public Guid TicketId { get; set; }

    public MessageDirection Direction { get; set; }

    public required string Channel { get; set; }

    public string? ExternalId { get; set; }

    public string? InReplyTo { get; set; }

    public string? ThreadKey { get; set; }

    /// <summary>The customer id (inbound), <c>engine</c> (an auto reply) or the agent's user name.</summary>
    public required string Author { get; set; }

    public string? Subject { get; set; }

    public required string Body { get; set; }

    /// <summary>When the customer wrote it (inbound) or it was sent (outbound).</summary>
    public DateTimeOffset At { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// A customer's follow-up stored but not routed yet (recovery finishes it after a crash). The decision that routed a
    /// message names it (<see cref="Decision.MessageId"/>).
    /// </summary>
    public bool RoutingPending { get; set; }

    public int RoutingAttempts { get; set; }

    /// <summary>The outbox message that delivers an outbound reply.</summary>
    public Guid? OutboxMessageId { get; set; }

    /// <summary>An agent's correction of the intent of this follow-up (a training label for its own text).</summary>
    public string? LabelledIntent { get; set; }

    /// <summary>
    /// The message as the customer sent it, when the channel took quoted history or a signature out of <see cref="Body"/>
    /// (the text the router reads); null when nothing was taken out.
    /// </summary>
    public string? OriginalBody { get; set; }

    /// <summary>Why the channel keeps this message from an auto reply (automatic mail, a reply limit), as a reason code; null: no hold.</summary>
    public string? HoldCode { get; set; }

    /// <summary>The hold's sentence, shown with the decision.</summary>
    public string? HoldDetail { get; set; }

    /// <summary>The hold sends the message to a person (unreadable mail), not only away from auto.</summary>
    public bool HoldEscalates { get; set; }

    /// <summary>The hold as the gate reads it.</summary>
    [System.ComponentModel.DataAnnotations.Schema.NotMapped]
    public ChannelHold? Hold => HoldCode is null ? null : new ChannelHold(HoldCode, HoldDetail ?? HoldCode, HoldEscalates);

    /// <summary>The author of an auto reply.</summary>
    public const string EngineAuthor = "engine";

    /// <summary>
    /// A reply in the conversation, delivered by <paramref name="outbox"/>: its message id on the channel is the outbox
    /// message's id (what the receiver sees in <c>X-Message-Id</c>), so a customer's answer to it threads.
    /// </summary>
    public static TicketMessage Reply(Ticket ticket, OutboxMessage outbox, string text, string author, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TicketId = ticket.Id,
        Direction = MessageDirection.Outbound,
        Channel = ticket.Channel,
        ExternalId = outbox.Id.ToString(),
        Author = author,
        Body = text,
        At = now,
        CreatedAt = now,
        OutboxMessageId = outbox.Id,
    };
}

/// <summary>A note between agents on a ticket: never sent to the customer.</summary>
public sealed class TicketNote
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TicketId { get; set; }

    public required string Author { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The engine's decision for one ticket and everything needed to explain it later.</summary>
public sealed class Decision
{
    public Guid Id { get; set; }

    public Guid TicketId { get; set; }

    public required string RouterVersion { get; set; }

    public required string Intent { get; set; }

    public double Confidence { get; set; }

    public bool Certified { get; set; }

    /// <summary>Certification threshold of the predicted intent at decision time (null: never certified).</summary>
    public double? CertificationThreshold { get; set; }

    /// <summary>The precision target (setting) whose certification rule applied.</summary>
    public double CertificationTarget { get; set; }

    /// <summary>JSON: the runner-up intents with their probabilities.</summary>
    public required string TopIntentsJson { get; set; }

    public ConfidenceBand Band { get; set; }

    public ConfidenceBand PolicyBand { get; set; }

    /// <summary>JSON: every rule that applied, in the order the gate applied them.</summary>
    public required string ReasonsJson { get; set; }

    /// <summary>JSON: the retrieved sources (article, section, chunk, scores).</summary>
    public required string SourcesJson { get; set; }

    public string? RetrievalIndexVersion { get; set; }

    public string? EmbedderVersion { get; set; }

    public double? Groundedness { get; set; }

    public long CostNanosUsd { get; set; }

    public long PolicyVersion { get; set; }

    public bool KillSwitchEngaged { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The customer message this decision routed (the first message has the ticket's id).</summary>
    public Guid? MessageId { get; set; }

    /// <summary>The routing of a follow-up in the conversation (not the ticket's first message).</summary>
    public bool FollowUp { get; set; }

    /// <summary>When a later decision (a follow-up's) replaced this one; superseded decisions are kept for the history.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

public enum DraftOrigin
{
    /// <summary>Filled from the intent's approved template and the cited section.</summary>
    Template,

    /// <summary>Written by the configured cloud model from the (redacted) ticket and the retrieved sources.</summary>
    CloudModel,
}

/// <summary>What the agent did with a suggested draft.</summary>
public enum DraftReview
{
    Approved,
    Edited,
    Rejected,
}

/// <summary>The engine's draft, kept forever as written, beside what an agent edited and sent.</summary>
public sealed class Draft
{
    public Guid Id { get; set; }

    public Guid TicketId { get; set; }

    public DraftOrigin Origin { get; set; }

    public required string OriginalText { get; set; }

    public string? EditedText { get; set; }

    public string? SentText { get; set; }

    public string? CitedArticleId { get; set; }

    public string? CitedSection { get; set; }

    public string? Model { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? EditedBy { get; set; }

    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>The agent's verdict on the draft while it was suggested (null: not reviewed, or not a suggestion).</summary>
    public DraftReview? Review { get; set; }

    /// <summary>Share of words the agent changed before sending (0: as written, 1: all rewritten); see EditMeasure.</summary>
    public double? EditShare { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    /// <summary>The decision this draft was written for (null in databases from before conversations: the ticket's only one).</summary>
    public Guid? DecisionId { get; set; }

    /// <summary>When a follow-up's routing replaced this draft.</summary>
    public DateTimeOffset? SupersededAt { get; set; }
}

/// <summary>What one pipeline stage cost for one ticket.</summary>
public sealed class CostReceipt
{
    /// <summary>Client-generated (version 7, time-ordered): inserts need no key read-back.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TicketId { get; set; }

    public required string CustomerId { get; set; }

    public required string Stage { get; set; }

    public required string Model { get; set; }

    public string? ModelVersion { get; set; }

    public bool IsLocal { get; set; }

    public int InputTokens { get; set; }

    public int OutputTokens { get; set; }

    public double CpuMilliseconds { get; set; }

    public double LatencyMilliseconds { get; set; }

    /// <summary>Cost in billionths of a US dollar (local CPU work costs nano-dollars): integers sum exactly.</summary>
    public long CostNanosUsd { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The decision the stage worked for (null in databases from before conversations: the ticket's first decision).</summary>
    public Guid? DecisionId { get; set; }
}
