using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;

namespace SupportConsole.Accounting;

/// <summary>Managers set, change and remove customers' monthly budgets; every change records who and when and is audited.</summary>
public sealed class BudgetAdmin(IDbContextFactory<SupportConsoleDbContext> contexts, IOptionsMonitor<BudgetOptions> options, TimeProvider clock)
{
    public const decimal MaxBudgetUsd = 1_000_000m;

    public double DefaultWarnAtShare => options.CurrentValue.DefaultWarnAtShare;

    public async Task<ActionResult> SaveAsync(string customerId, decimal monthlyBudgetUsd, double warnAtShare, OverBudgetAction action, string actor,
        CancellationToken cancellationToken = default)
    {
        if (monthlyBudgetUsd <= 0 || monthlyBudgetUsd > MaxBudgetUsd)
        {
            return ActionResult.Failed($"The monthly budget must be more than $0 and at most ${MaxBudgetUsd:#,##0}.");
        }

        if (decimal.Round(monthlyBudgetUsd, 6) != monthlyBudgetUsd)
        {
            return ActionResult.Failed("The monthly budget can have at most six decimal places.");
        }

        if (double.IsNaN(warnAtShare) || warnAtShare < 0.01 || warnAtShare > 1)
        {
            return ActionResult.Failed("Warn at must be between 1 % and 100 % of the budget.");
        }

        if (!Enum.IsDefined(action))
        {
            return ActionResult.Failed("Choose what happens when the budget is spent.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            return ActionResult.Failed($"There is no customer {customerId}.");
        }

        var now = clock.GetUtcNow();
        var budget = await db.CustomerBudgets.FirstOrDefaultAsync(b => b.CustomerId == customerId, cancellationToken);
        var before = budget is null ? null : new { budgetUsd = budget.MonthlyBudgetUsd, budget.WarnAtShare, action = budget.OverBudgetAction.ToString() };
        if (budget is null)
        {
            db.CustomerBudgets.Add(budget = new CustomerBudget { CustomerId = customerId });
        }

        budget.MonthlyBudgetUsd = monthlyBudgetUsd;
        budget.WarnAtShare = warnAtShare;
        budget.OverBudgetAction = action;
        budget.UpdatedAt = now;
        budget.UpdatedBy = actor;
        db.AuditEvents.Add(AuditEvent.Record(now, actor, "budget.changed", "customer", customerId, JsonSerializer.Serialize(new
        {
            before,
            after = new { budgetUsd = monthlyBudgetUsd, warnAtShare, action = action.ToString() },
        })));
        await db.SaveChangesAsync(cancellationToken);
        return ActionResult.Ok($"Budget for {customerId} saved: {Money.Format(monthlyBudgetUsd)} a month, warning at {warnAtShare:P0}.");
    }

    public async Task<ActionResult> RemoveAsync(string customerId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var budget = await db.CustomerBudgets.FirstOrDefaultAsync(b => b.CustomerId == customerId, cancellationToken);
        if (budget is null)
        {
            return ActionResult.Failed($"{customerId} has no budget.");
        }

        db.CustomerBudgets.Remove(budget);
        db.AuditEvents.Add(AuditEvent.Record(clock.GetUtcNow(), actor, "budget.removed", "customer", customerId, JsonSerializer.Serialize(new
        {
            before = new { budgetUsd = budget.MonthlyBudgetUsd, budget.WarnAtShare, action = budget.OverBudgetAction.ToString() },
        })));
        await db.SaveChangesAsync(cancellationToken);
        return ActionResult.Ok($"Budget for {customerId} removed.");
    }
}
