namespace SupportConsole.Data.Entities;

/// <summary>Per-intent policy: the default band and the confidence thresholds.</summary>
public sealed class BandPolicy
{
    public required string Intent { get; set; }

    public ConfidenceBand Band { get; set; }

    /// <summary>Below this router confidence a ticket is escalated rather than suggested.</summary>
    public double SuggestThreshold { get; set; }

    /// <summary>Auto needs at least this confidence on top of the router's certification (null: certification alone).</summary>
    public double? AutoThreshold { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>A rule that always escalates a matching ticket (money above an amount, legal threats...).</summary>
public sealed class HardRule
{
    public required string Id { get; set; }

    public required string Description { get; set; }

    /// <summary><c>keywords</c> or <c>amount</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>JSON array of phrases, matched case-insensitively on word boundaries.</summary>
    public required string KeywordsJson { get; set; }

    public decimal? MinimumAmount { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The priority of the tickets it escalates.</summary>
    public Engine.Gate.TicketPriority Priority { get; set; } = Engine.Gate.TicketPriority.Normal;

    /// <summary>A built-in safeguard (a vulnerable customer): no draft at all, and it cannot be switched off.</summary>
    public bool Safeguard { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

/// <summary>A named setting with who changed it, when and why (the kill switch is one).</summary>
public sealed class Setting
{
    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public string? Reason { get; set; }
}
