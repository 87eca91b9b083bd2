using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Accounting;

/// <summary>
/// The customers' monthly budgets as the pipeline checks them for every ticket: all budget rows, read together and
/// kept for <see cref="CacheOptions.BudgetsMilliseconds"/>, so the common case (a customer without a budget) costs no
/// query. A budget saved through this process empties the cache at once (see <see cref="CacheInvalidationInterceptor"/>);
/// one saved on another instance arrives within the cache's age.
/// </summary>
public sealed class BudgetCache(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    DataChanges changes,
    IOptions<CacheOptions> options,
    TimeProvider clock)
{
    private readonly FreshCache<string, Dictionary<string, CustomerBudget>> _budgets =
        new(changes.Budgets, TimeSpan.FromMilliseconds(options.Value.BudgetsMilliseconds), clock, oneReader: true);

    public async ValueTask<CustomerBudget?> GetAsync(string customerId, CancellationToken cancellationToken)
    {
        // One entry for all budgets; when it ages out under load, the requests waiting share the next read.
        var budgets = await _budgets.GetAsync(string.Empty, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            return await db.CustomerBudgets.AsNoTracking().ToDictionaryAsync(b => b.CustomerId, StringComparer.Ordinal, token);
        }, cancellationToken);
        return budgets.GetValueOrDefault(customerId);
    }
}
