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
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _snapshot;

    public async ValueTask<CustomerBudget?> GetAsync(string customerId, CancellationToken cancellationToken)
    {
        // The counter is read before the database: a change committed while reading leaves this snapshot stale at once.
        var generation = changes.Budgets.Value;
        var snapshot = _snapshot;
        if (!IsCurrent(snapshot, generation))
        {
            // One reader at a time: when the snapshot ages out under load, the requests waiting share the next read.
            await _reload.WaitAsync(cancellationToken);
            try
            {
                snapshot = _snapshot;
                if (!IsCurrent(snapshot, generation))
                {
                    var readAt = clock.GetTimestamp();
                    await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                    var budgets = await db.CustomerBudgets.AsNoTracking().ToDictionaryAsync(b => b.CustomerId, StringComparer.Ordinal, cancellationToken);
                    snapshot = new Snapshot(budgets, generation, readAt);
                    _snapshot = snapshot;
                }
            }
            finally
            {
                _reload.Release();
            }
        }

        return snapshot!.Budgets.GetValueOrDefault(customerId);
    }

    private bool IsCurrent(Snapshot? snapshot, long generation) =>
        snapshot is not null && snapshot.Generation == generation
        && clock.GetElapsedTime(snapshot.ReadAt).TotalMilliseconds < options.Value.BudgetsMilliseconds;

    private sealed record Snapshot(Dictionary<string, CustomerBudget> Budgets, long Generation, long ReadAt);
}
