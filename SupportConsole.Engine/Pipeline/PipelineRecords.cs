namespace SupportConsole.Engine.Pipeline;

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

/// <summary>A stored ticket as the engine sees it.</summary>
public sealed record TicketRequest(Guid TicketId, string Channel, string CustomerId, string? Subject, string Body)
{
    /// <summary>The customer's reply in a conversation that already had a decision (routed again on its own text).</summary>
    public bool FollowUp { get; init; }

    /// <summary>Subject and body as one text, the way the router and retrieval read a ticket.</summary>
    public string Text => string.IsNullOrWhiteSpace(Subject) ? Body : $"{Subject}\n{Body}";
}

/// <summary>One of the customer's own records.</summary>
public sealed record TransactionRecord(string Id, DateOnly Date, string Kind, string Description, decimal Amount, string Currency, string Status);

/// <summary>The ticket's customer and their records; nothing of any other customer is ever passed in.</summary>
public sealed record CustomerRecords(
    string Id,
    string? Name,
    string? Email,
    string? Phone,
    string? Plan,
    string? CardLast4,
    string? AccountNumber,
    IReadOnlyList<TransactionRecord> Transactions)
{
    public string? FirstName => Name?.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
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

/// <summary>An intent's approved reply: greeting and closing are pleasantries, the body is checked for groundedness.</summary>
public sealed record ReplyTemplateDefinition(
    string Intent,
    string ArticleId,
    string SectionTitle,
    string Greeting,
    string Body,
    string Closing,
    IReadOnlyList<string> TransactionKinds);

/// <summary>Gate settings that change at run time (the kill switch among them).</summary>
/// <param name="TargetPrecision">The precision promise behind auto: which of the router's certification rules applies.</param>
public sealed record GateSettings(bool KillSwitchEngaged, double GroundednessFloor, decimal CostCeilingUsd, double TargetPrecision);

/// <summary>Everything policy-like the pipeline needs for one ticket, read from the database as of one version.</summary>
public sealed record PolicySnapshot(
    long Version,
    IReadOnlyDictionary<string, IntentPolicy> Policies,
    IReadOnlyList<HardRuleDefinition> HardRules,
    IReadOnlyDictionary<string, ReplyTemplateDefinition> Templates,
    GateSettings Gate);

/// <summary>Why the gate put a ticket where it did: a stable code and a human sentence.</summary>
public sealed record DecisionReason(string Code, string Detail);

/// <summary>A help-center section cited by a draft.</summary>
public sealed record CitedSection(string ArticleId, string ArticleTitle, string SectionTitle, string Body);

/// <summary>What one stage cost, for the receipt.</summary>
public sealed record StageReceipt(
    string Stage,
    string Model,
    string? ModelVersion,
    bool IsLocal,
    int InputTokens,
    int OutputTokens,
    double CpuMilliseconds,
    double LatencyMilliseconds,
    long CostNanosUsd);

/// <summary>Stage names, in pipeline order; receipts and spans use them.</summary>
public static class Stages
{
    public const string Ingest = "ingest";
    public const string Route = "route";
    public const string Retrieve = "retrieve";
    public const string Draft = "draft";
    public const string Gate = "gate";
    public const string Act = "act";

    private static readonly string[] Order = [Ingest, Route, Retrieve, Draft, Gate, Act];

    public static IReadOnlyList<string> InOrder => Order;

    /// <summary>Position of a stage in the pipeline (for sorting receipts); unknown stages sort last.</summary>
    public static int Position(string stage) => Array.IndexOf(Order, stage) is var i and >= 0 ? i : Order.Length;
}
