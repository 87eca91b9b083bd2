using SupportConsole.Tickets;

namespace SupportConsole.Reporting;

// What the dashboards, the JSON API and the CSV exports show. Money is USD (exact: nano-dollar sums / 1e9); shares
// are 0..1; a ratio with nothing to divide by is null.

public sealed record StageCostRow(string Stage, long Receipts, decimal CostUsd, double CostShare);

public sealed record ModelCostRow(string Model, bool IsLocal, long Receipts, long InputTokens, long OutputTokens, decimal CostUsd, double CostShare);

/// <summary>A day, week (from Monday) or month of cost.</summary>
public sealed record CostPeriodRow(DateOnly Start, long Tickets, long AutoResolved, long CloudTickets, decimal CostUsd, decimal LocalCostUsd,
    decimal CloudCostUsd, decimal? CostPerTicketUsd);

/// <summary>
/// The Costs dashboard and <c>GET /api/v1/costs/summary</c>. Definitions (docs/decisions/006-cost-reporting.md):
/// savingsVsFrontierUsd = tickets x frontier cost per ticket - costUsd; savingsVsVendorUsd = autoResolved x vendor fee -
/// costUsd; costPerAutoResolutionUsd = costUsd / autoResolved; localShare = share of tickets without a cloud receipt;
/// humanCostAvoidedUsd = autoResolved x human answer cost.
/// </summary>
public sealed record CostSummary(
    DateOnly From,
    DateOnly To,
    string? Channel,
    long Tickets,
    decimal CostUsd,
    long CostNanosUsd,
    decimal LocalCostUsd,
    decimal CloudCostUsd,
    long CloudTickets,
    double? LocalShare,
    decimal? CostPerTicketUsd,
    long AutoResolved,
    double? AutoResolvedShare,
    decimal? CostPerAutoResolutionUsd,
    decimal FrontierCostPerTicketUsd,
    decimal FrontierCostUsd,
    decimal SavingsVsFrontierUsd,
    decimal VendorFeePerResolutionUsd,
    decimal VendorCostUsd,
    decimal SavingsVsVendorUsd,
    decimal HumanAnswerCostUsd,
    decimal HumanCostAvoidedUsd,
    IReadOnlyList<StageCostRow> ByStage,
    IReadOnlyList<ModelCostRow> ByModel,
    IReadOnlyList<CostPeriodRow> Daily);

public sealed record CustomerCostRow(
    string CustomerId,
    string? Name,
    string? Plan,
    long Tickets,
    long AutoResolved,
    double? AutoResolvedShare,
    decimal CostUsd,
    decimal CloudCostUsd,
    decimal? CostPerTicketUsd,
    decimal? BudgetUsd,
    double? WarnAtShare,
    string? OverBudgetAction,
    decimal? MonthToDateUsd,
    double? BudgetUsedShare);

/// <summary>The top <see cref="TopShareOfCustomers"/> of customers by spend (<see cref="Customers"/> of them) drive <see cref="ShareOfSpend"/>.</summary>
public sealed record ParetoPoint(double TopShareOfCustomers, int Customers, double? ShareOfSpend);

/// <summary>The Per-customer dashboard and <c>GET /api/v1/costs/customers</c>; budgets are for the current UTC month.</summary>
public sealed record CustomersReport(
    DateOnly From,
    DateOnly To,
    string? Channel,
    string BudgetMonth,
    int CustomerCount,
    long Tickets,
    decimal CostUsd,
    IReadOnlyList<ParetoPoint> Pareto,
    IReadOnlyList<CustomerCostRow> Customers);

public sealed record BudgetStatus(decimal MonthlyBudgetUsd, double WarnAtShare, string OverBudgetAction, string Month, decimal MonthToDateUsd,
    double SpentShare, bool CloudDeferralStopped, DateTimeOffset UpdatedAt, string? UpdatedBy);

public sealed record BudgetAlertView(Guid Id, string CustomerId, string? CustomerName, string Month, string Level, decimal SpendUsd, decimal BudgetUsd,
    string OverBudgetAction, Guid TicketId, DateTimeOffset CreatedAt);

public sealed record CustomerReport(
    string CustomerId,
    string? Name,
    string? Plan,
    string? Email,
    DateOnly From,
    DateOnly To,
    string? Channel,
    long Tickets,
    long AutoResolved,
    decimal CostUsd,
    decimal CloudCostUsd,
    BudgetStatus? Budget,
    IReadOnlyList<CostPeriodRow> Daily,
    IReadOnlyList<BudgetAlertView> Alerts);

public sealed record CustomerTicketRow(Guid Id, DateTimeOffset DecidedAt, string Channel, string? Intent, string? Band, string Status, decimal CostUsd,
    bool Cloud, string Excerpt, IReadOnlyList<ReceiptView> Receipts);

public sealed record BandCount(string Band, long Tickets, double? Share);

public sealed record DeflectionPeriodRow(DateOnly Start, long Tickets, long Auto, long Suggest, long Escalate, double? AutoShare);

public sealed record IntentDeflectionRow(string Intent, long Tickets, long Auto, long Suggest, long Escalate, double? AutoShare, long DraftsSent,
    long DraftsEdited, long DraftsRejected);

public sealed record ChannelDeflectionRow(string Channel, long Tickets, long Auto, long Suggest, long Escalate, double? AutoShare);

public sealed record ReasonRow(string Band, string Code, long Tickets, double? ShareOfBand);

/// <summary>Agents' verdicts on suggested drafts: how often they changed it (edit rate) and how much (mean share of words changed, when edited).</summary>
public sealed record DraftReviewSummary(long Sent, long Edited, long Rejected, double? EditRate, double? MeanEditShare, double? RejectRate);

public sealed record ResponseTimeRow(string Band, long Responses, double? MeanSeconds, double? P50Seconds, double? P90Seconds);

/// <summary>The Deflection dashboard and <c>GET /api/v1/deflection/summary</c>.</summary>
public sealed record DeflectionReport(
    DateOnly From,
    DateOnly To,
    string? Channel,
    long Tickets,
    long AutoResolved,
    double? AutoResolvedShare,
    IReadOnlyList<BandCount> Bands,
    IReadOnlyList<DeflectionPeriodRow> Daily,
    IReadOnlyList<IntentDeflectionRow> Intents,
    IReadOnlyList<ChannelDeflectionRow> Channels,
    IReadOnlyList<ReasonRow> Reasons,
    DraftReviewSummary Drafts,
    IReadOnlyList<ResponseTimeRow> ResponseTimes,
    decimal HumanAnswerCostUsd,
    decimal HumanCostAvoidedUsd);

/// <summary>How a time series is bucketed on the dashboards.</summary>
public enum Granularity
{
    Day,
    Week,
    Month,
}
