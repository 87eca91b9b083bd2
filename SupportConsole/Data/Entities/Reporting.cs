namespace SupportConsole.Data.Entities;

// Daily rollups of the fact tables (tickets, decisions, drafts, receipts). A ticket belongs to the UTC day of its
// decision; every rollup row is written in the same transaction as the facts it summarises, and can be rebuilt from
// them (RollupRebuilder). The non-key columns are additive counters: the upsert adds to them.

/// <summary>What one stage of one model cost on one day and channel.</summary>
public sealed class DailyStageCost
{
    public DateOnly Day { get; set; }

    public required string Channel { get; set; }

    public required string Stage { get; set; }

    public required string Model { get; set; }

    public bool IsLocal { get; set; }

    public long Receipts { get; set; }

    public long CostNanosUsd { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }
}

/// <summary>Tickets of one intent and band on one day and channel, with what agents did with their drafts.</summary>
public sealed class DailyIntentStats
{
    public DateOnly Day { get; set; }

    public required string Channel { get; set; }

    public required string Intent { get; set; }

    /// <summary>The band of the decision (what the engine did), not where the ticket ended up.</summary>
    public ConfidenceBand Band { get; set; }

    public long Tickets { get; set; }

    public long CostNanosUsd { get; set; }

    /// <summary>Tickets with at least one cloud (non-local) receipt.</summary>
    public long CloudTickets { get; set; }

    public long FirstResponses { get; set; }

    /// <summary>Sum over first responses of the time from ingest to first response.</summary>
    public long FirstResponseMsTotal { get; set; }

    /// <summary>Suggested drafts an agent sent (as written or edited).</summary>
    public long DraftsSent { get; set; }

    public long DraftsEdited { get; set; }

    /// <summary>Sum of the edited share of words (basis points, 10,000 = every word changed) over sent drafts.</summary>
    public long EditBasisPointsTotal { get; set; }

    public long DraftsRejected { get; set; }
}

/// <summary>How many tickets of a band carried a reason code on one day and channel.</summary>
public sealed class DailyReasonCount
{
    public DateOnly Day { get; set; }

    public required string Channel { get; set; }

    public ConfidenceBand Band { get; set; }

    public required string Code { get; set; }

    public long Tickets { get; set; }
}

/// <summary>One customer's tickets and spend on one day and channel.</summary>
public sealed class DailyCustomerStats
{
    public DateOnly Day { get; set; }

    public required string Channel { get; set; }

    public required string CustomerId { get; set; }

    public long Tickets { get; set; }

    public long AutoResolved { get; set; }

    public long CostNanosUsd { get; set; }

    public long CloudCostNanosUsd { get; set; }

    public long CloudTickets { get; set; }
}

/// <summary>A histogram of time from ingest to first response: log-scale buckets (see ResponseTimeBuckets).</summary>
public sealed class DailyResponseTime
{
    public DateOnly Day { get; set; }

    public required string Channel { get; set; }

    public ConfidenceBand Band { get; set; }

    public int Bucket { get; set; }

    public long Responses { get; set; }
}

/// <summary>What happens to a customer's uncertified tickets once the monthly budget is spent.</summary>
public enum OverBudgetAction
{
    /// <summary>Keep deferring to the cloud model; only warn.</summary>
    KeepGoing,

    /// <summary>Stop sending the customer's tickets to the cloud model until the month ends (they go to a person).</summary>
    StopCloudDeferral,
}

/// <summary>A customer's monthly AI budget (UTC calendar month), set by a manager.</summary>
public sealed class CustomerBudget
{
    public required string CustomerId { get; set; }

    public decimal MonthlyBudgetUsd { get; set; }

    /// <summary>Share of the budget at which a warning is raised (0.8: at 80 %).</summary>
    public double WarnAtShare { get; set; }

    public OverBudgetAction OverBudgetAction { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

public enum BudgetAlertLevel
{
    /// <summary>Month-to-date spend reached the warn share of the budget.</summary>
    Warning,

    /// <summary>Month-to-date spend reached the budget.</summary>
    Exceeded,
}

/// <summary>A budget threshold a customer crossed; recorded once per customer, month and level.</summary>
public sealed class BudgetAlert
{
    public Guid Id { get; set; }

    public required string CustomerId { get; set; }

    /// <summary>The UTC month, <c>yyyy-MM</c>.</summary>
    public required string Month { get; set; }

    public BudgetAlertLevel Level { get; set; }

    /// <summary>Month-to-date spend when the alert was raised, including the ticket that crossed the line.</summary>
    public long SpendNanosUsd { get; set; }

    public decimal BudgetUsd { get; set; }

    public double WarnAtShare { get; set; }

    public OverBudgetAction OverBudgetAction { get; set; }

    /// <summary>The ticket whose decision crossed the threshold.</summary>
    public Guid TicketId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
