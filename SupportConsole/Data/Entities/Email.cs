namespace SupportConsole.Data.Entities;

/// <summary>What the email channel did with one message it read from a mailbox.</summary>
public enum InboundEmailOutcome
{
    /// <summary>Read and recorded, not handled yet (a crash before it was): the next read of the mailbox finishes it.</summary>
    Received,

    /// <summary>It started a ticket.</summary>
    Ticket,

    /// <summary>It joined an open ticket's conversation (its <c>In-Reply-To</c> or <c>References</c> named a message of it).</summary>
    FollowUp,

    /// <summary>A delivery failure report about one of our replies: recorded on that reply's ticket, no ticket of its own.</summary>
    Bounce,

    /// <summary>A delivery failure report that names none of our replies: kept, nothing else done.</summary>
    UnmatchedBounce,

    /// <summary>It could not be read (no sender, broken MIME): a ticket in the escalated queue, the message as received attached to it.</summary>
    Unreadable,
}

/// <summary>
/// One message the email channel read from a mailbox: where it came from, its headers for threading and what became of
/// it. Unique on (mailbox, message id), so a message read twice (a
/// crash before it was flagged, two instances on one mailbox) is handled once.
/// </summary>
public sealed class InboundEmail
{
    public const int MaxMessageIdLength = 512;

    public Guid Id { get; set; }

    /// <summary>The configured mailbox's name (<c>Email:Mailboxes:N:Name</c>).</summary>
    public required string Mailbox { get; set; }

    /// <summary>The <c>Message-ID</c> without its angle brackets (one made from the message's hash when it had none).</summary>
    public required string MessageId { get; set; }

    /// <summary>
    /// The id its conversation message has on the <c>email</c> channel (<see cref="TicketMessage.ExternalId"/>): the
    /// message id, or a hash of it when it is longer than a ticket id may be. A reply's ticket is found by it.
    /// </summary>
    public required string ExternalId { get; set; }

    public string? FromAddress { get; set; }

    public string? Subject { get; set; }

    /// <summary>The <c>In-Reply-To</c> and <c>References</c> ids, space-separated, oldest first: a reply's <c>References</c> continue them.</summary>
    public string? References { get; set; }

    public InboundEmailOutcome Outcome { get; set; }

    public Guid? TicketId { get; set; }

    /// <summary>The conversation message it became (null for bounces).</summary>
    public Guid? TicketMessageId { get; set; }

    /// <summary>Why no auto reply may answer it (auto-generated mail, the hourly limit), or why it could not be read.</summary>
    public string? Note { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>The <c>Date</c> header, or when it was read when it had none.</summary>
    public DateTimeOffset SentAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A file that came with a customer's message: stored (up to the size limit) and listed on the ticket, never routed.
/// One over the limit is listed with why it was refused and has no content.
/// </summary>
public sealed class TicketAttachment
{
    public Guid Id { get; set; }

    public Guid TicketId { get; set; }

    /// <summary>The conversation message it came with.</summary>
    public Guid MessageId { get; set; }

    /// <summary>Its place among the message's attachments (0, 1, ...): with <see cref="MessageId"/>, unique.</summary>
    public int Position { get; set; }

    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Hex SHA-256 of the content (null when refused).</summary>
    public string? Sha256 { get; set; }

    public byte[]? Content { get; set; }

    /// <summary>Why it was not stored (over the size limit); null when it was.</summary>
    public string? RefusedReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
