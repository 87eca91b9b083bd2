namespace SupportConsole.Engine.Gate;

/// <summary>The three roads a ticket can take.</summary>
public enum Band
{
    Auto,
    Suggest,
    Escalate,
}

/// <summary>How soon a person must answer a ticket; hard rules raise it (a vulnerable customer is urgent).</summary>
public enum TicketPriority
{
    Low,
    Normal,
    High,
    Urgent,
}

/// <summary>Per-intent policy: default band and thresholds.</summary>
public sealed record IntentPolicy(Band Band, double SuggestThreshold, double? AutoThreshold);

/// <summary>A rule that always escalates: keywords, optionally with an amount at or above a minimum.</summary>
public sealed record HardRuleDefinition(string Id, string Description, string Kind, IReadOnlyList<string> Keywords, decimal? MinimumAmount)
{
    /// <summary>The priority of a ticket the rule escalates (the highest of the rules that fired wins).</summary>
    public TicketPriority Priority { get; init; } = TicketPriority.Normal;

    /// <summary>
    /// A safeguard (a vulnerable customer): when it fires nothing is drafted, neither from a template nor by a cloud model,
    /// so a person writes the only reply. Safeguards cannot be switched off.
    /// </summary>
    public bool Safeguard { get; init; }
}

/// <summary>Gate settings that change at run time (the kill switch among them).</summary>
/// <param name="TargetPrecision">The precision promise behind auto: which of the router's certification rules applies.</param>
public sealed record GateSettings(bool KillSwitchEngaged, double GroundednessFloor, decimal CostCeilingUsd, double TargetPrecision);

/// <summary>Why the gate put a ticket where it did: a stable code and a human sentence.</summary>
public sealed record DecisionReason(string Code, string Detail);

/// <summary>
/// A channel's reason to keep a message from an auto reply, whatever the router says: mail sent by a machine (an
/// out-of-office, a mailing list, a bounce), a conversation that had its auto reply this hour, or mail that could not be
/// read (<see cref="Escalate"/>: a person takes it).
/// </summary>
public sealed record ChannelHold(string Code, string Detail, bool Escalate);
