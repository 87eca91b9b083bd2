namespace SupportConsole.Data.Entities;

/// <summary>Where a ticket is in its life; the queues are views over this.</summary>
public enum TicketStatus
{
    /// <summary>Stored, not yet through the pipeline (picked up again after a crash).</summary>
    Received,

    /// <summary>Answered automatically; the reply is in the outbox.</summary>
    AutoResolved,

    /// <summary>Waiting for an agent to approve, edit or reject the draft.</summary>
    AwaitingApproval,

    /// <summary>Handed to a person.</summary>
    Escalated,

    /// <summary>An agent sent a reply.</summary>
    Answered,

    /// <summary>Closed without a reply.</summary>
    Closed,

    /// <summary>A historical, already-labelled ticket imported for training; never routed.</summary>
    Historical,
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

    public Decision? Decision { get; set; }

    public Draft? Draft { get; set; }

    public List<CostReceipt> Receipts { get; set; } = [];
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
}
