using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Accounting;

namespace SupportConsole.Accounting;

/// <summary>A customer's budget as of one decision: the budget (if any), its month, the spend so far and what the engine may do.</summary>
public sealed record BudgetCheck(CustomerBudget? Budget, string Month, long MonthToDateNanosUsd, CustomerLimits Limits)
{
    public static BudgetCheck None(string month) => new(null, month, 0, CustomerLimits.None);
}

/// <summary>
/// Budgets at decision time: before the engine runs, whether the customer's spent budget stops deferral to the cloud
/// model; after the decision is written (same transaction), the alerts it triggers, once per customer, month and
/// level, each with an outbox message to the budget webhook. Spend is month-to-date over the daily customer rollup
/// (UTC calendar month), so it includes the ticket that was just decided.
/// </summary>
public sealed class BudgetGuard(TimeProvider clock)
{
    public const string OutboxKind = OutboxKinds.BudgetAlert;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static long ToNanos(decimal usd) => PriceTable.ToNanos(usd);

    /// <summary>What <paramref name="budget"/> allows now, from the customer's month-to-date spend.</summary>
    public async Task<BudgetCheck> CheckAsync(SupportConsoleDbContext db, CustomerBudget budget, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var customerId = budget.CustomerId;
        var spend = await MonthToDateAsync(db, customerId, now, cancellationToken);
        var stopped = budget.OverBudgetAction == OverBudgetAction.StopCloudDeferral && spend >= ToNanos(budget.MonthlyBudgetUsd);
        var limits = stopped
            ? new CustomerLimits(true, string.Create(CultureInfo.InvariantCulture,
                $"customer {customerId} has spent {Money.Format(spend)} of its {Money.Format(budget.MonthlyBudgetUsd)} budget for {MonthOf(now)}; its rule stops deferring to the cloud model until the month ends"))
            : CustomerLimits.None;
        return new BudgetCheck(budget, MonthOf(now), spend, limits);
    }

    /// <summary>A customer without a budget: nothing to check.</summary>
    public BudgetCheck Unbudgeted() => BudgetCheck.None(MonthOf(clock.GetUtcNow()));

    /// <summary>Month-to-date AI spend of a customer (nano-dollars), up to and including the day of <paramref name="at"/>.</summary>
    public static Task<long> MonthToDateAsync(SupportConsoleDbContext db, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var last = RollupContributions.DayOf(at);
        var first = new DateOnly(last.Year, last.Month, 1);
        return db.DailyCustomerStats.Where(r => r.CustomerId == customerId && r.Day >= first && r.Day <= last)
            .SumAsync(r => r.CostNanosUsd, cancellationToken);
    }

    /// <summary>
    /// Records the alerts this decision triggered, on the group-commit writer's connection in the decision's transaction
    /// (after its rollups were added, so the spend includes the ticket); returns how many are new.
    /// </summary>
    public int RecordAlerts(RowStatements statements, Ticket ticket, BudgetCheck check)
    {
        if (check.Budget is not { } budget || ticket.DecidedAt is not { } decidedAt)
        {
            return 0;
        }

        var spend = MonthToDate(statements, ticket.CustomerId, decidedAt);
        var budgetNanos = ToNanos(budget.MonthlyBudgetUsd);
        var created = 0;
        foreach (var (level, threshold) in new[]
        {
            (BudgetAlertLevel.Warning, (long)Math.Ceiling(budgetNanos * budget.WarnAtShare)),
            (BudgetAlertLevel.Exceeded, budgetNanos),
        })
        {
            if (spend < threshold)
            {
                continue;
            }

            var alert = new BudgetAlert
            {
                Id = Guid.CreateVersion7(decidedAt),
                CustomerId = ticket.CustomerId,
                Month = MonthOf(decidedAt),
                Level = level,
                SpendNanosUsd = spend,
                BudgetUsd = budget.MonthlyBudgetUsd,
                WarnAtShare = budget.WarnAtShare,
                OverBudgetAction = budget.OverBudgetAction,
                TicketId = ticket.Id,
                CreatedAt = decidedAt,
            };

            // Once per customer, month and level: the unique index decides, also between instances.
            if (statements.InsertUnlessExists(alert))
            {
                created++;
                statements.Insert(Message(alert));
            }
        }

        return created;
    }

    /// <summary>Month-to-date spend as <see cref="MonthToDateAsync"/>, as one statement on the writer's connection.</summary>
    // SQL by hand: it runs in the group-commit writer's open transaction on its connection, like RowStatements (decision 005, `bench ingest`).
    private static long MonthToDate(RowStatements statements, string customerId, DateTimeOffset at)
    {
        var db = statements.Context;
        var helper = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(DailyCustomerStats))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => helper.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var last = RollupContributions.DayOf(at);
        using var command = statements.CreateCommand();
        var parameters = new (string Name, string Property, object Value)[]
        {
            ("mtd_customer", nameof(DailyCustomerStats.CustomerId), customerId),
            ("mtd_first", nameof(DailyCustomerStats.Day), new DateOnly(last.Year, last.Month, 1)),
            ("mtd_last", nameof(DailyCustomerStats.Day), last),
        };
        foreach (var (name, property, value) in parameters)
        {
            command.Parameters.Add(entity.FindProperty(property)!.GetRelationalTypeMapping().CreateParameter(command, name, value, nullable: false));
        }

        string P(int i) => helper.GenerateParameterNamePlaceholder(parameters[i].Name);
        command.CommandText = $"SELECT COALESCE(SUM({Column(nameof(DailyCustomerStats.CostNanosUsd))}), 0) FROM {helper.DelimitIdentifier(table.Name, table.Schema)} "
            + $"WHERE {Column(nameof(DailyCustomerStats.CustomerId))} = {P(0)} AND {Column(nameof(DailyCustomerStats.Day))} >= {P(1)} "
            + $"AND {Column(nameof(DailyCustomerStats.Day))} <= {P(2)}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static OutboxMessage Message(BudgetAlert alert) => new()
    {
        Id = Guid.CreateVersion7(alert.CreatedAt),
        TicketId = alert.TicketId,
        Kind = OutboxKind,
        PayloadJson = JsonSerializer.Serialize(new
        {
            kind = OutboxKind,
            alertId = alert.Id,
            customerId = alert.CustomerId,
            month = alert.Month,
            level = alert.Level == BudgetAlertLevel.Warning ? "warning" : "exceeded",
            spendUsd = Money.Usd(alert.SpendNanosUsd),
            budgetUsd = alert.BudgetUsd,
            spentShare = alert.BudgetUsd == 0 ? 1 : Math.Round((double)(Money.Usd(alert.SpendNanosUsd) / alert.BudgetUsd), 4),
            warnAtShare = alert.WarnAtShare,
            overBudgetAction = alert.OverBudgetAction.ToString(),
            ticketId = alert.TicketId,
            at = alert.CreatedAt,
        }, Json),
        CreatedAt = alert.CreatedAt,
        NextAttemptAt = alert.CreatedAt,
    };
}
