using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data;

/// <summary>
/// Configuration section <c>Caches</c>: how old what the pipeline reads for every ticket may get. A change saved through
/// this instance applies to the very next ticket regardless (it empties the cache); these bound how long a change made
/// by another instance or process takes to arrive, so keep them under a second. 0 reads for every ticket.
/// </summary>
public sealed class CacheOptions
{
    public const string SectionName = "Caches";

    /// <summary>Gate settings: kill switch, floors, ceilings, precision target and the policy version.</summary>
    [Range(0, 1000)]
    public int SettingsMilliseconds { get; set; } = 250;

    /// <summary>A customer's records (plan, transactions), per customer.</summary>
    [Range(0, 1000)]
    public int CustomerRecordsMilliseconds { get; set; } = 1000;

    /// <summary>The customers' monthly budgets (all of them, read together: few customers have one).</summary>
    [Range(0, 1000)]
    public int BudgetsMilliseconds { get; set; } = 1000;

    /// <summary>A stored API key verified once (how long a revocation on another instance may take to arrive).</summary>
    [Range(0, 1000)]
    public int ApiKeysMilliseconds { get; set; } = 1000;
}

/// <summary>A counter of changes to one kind of data, so caches of it know they are stale.</summary>
public sealed class ChangeCounter(string name)
{
    private long _value;

    /// <summary>The kind's name on the change feed.</summary>
    public string Name => name;

    public long Value => Interlocked.Read(ref _value);

    public void Advance() => Interlocked.Increment(ref _value);
}

/// <summary>
/// The change counters the caches on the request path check: settings, customers with their records, budgets, API keys.
/// A committed save is announced (to the other instances, by the change feed, which passes <paramref name="announce"/>);
/// one announced by another instance advances the counter here.
/// </summary>
public sealed class DataChanges(Action<string>? announce = null)
{
    public ChangeCounter Settings { get; } = new("settings");

    public ChangeCounter Customers { get; } = new("customers");

    public ChangeCounter Budgets { get; } = new("budgets");

    public ChangeCounter ApiKeys { get; } = new("api-keys");

    private IEnumerable<ChangeCounter> All => [Settings, Customers, Budgets, ApiKeys];

    /// <summary>A save of <paramref name="counter"/>'s kind committed on this instance: tell the others.</summary>
    public void Announce(ChangeCounter counter) => announce?.Invoke(counter.Name);

    /// <summary>Another instance committed a save of the kind named <paramref name="name"/> (unknown names are ignored).</summary>
    public void Follow(string name) => All.FirstOrDefault(c => c.Name == name)?.Advance();
}

/// <summary>
/// Advances the <see cref="DataChanges"/> counter of every kind of cached data a save adds, changes or deletes: before
/// the save, after it, and when the transaction it ran in commits. A cache filled by a read that started before the
/// change became visible is therefore never trusted after it. Writes that bypass SaveChanges (raw SQL, ExecuteUpdate,
/// another process or instance) are not seen here; the caches' short lifetimes (<see cref="CacheOptions"/>) cover them.
/// </summary>
internal sealed class CacheInvalidationInterceptor(DataChanges changes) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, ChangeCounter[]> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    private void Saving(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var touched = new List<ChangeCounter>(2);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var counter = entry.Entity switch
            {
                Setting => changes.Settings,
                Customer or CustomerTransaction => changes.Customers,
                CustomerBudget => changes.Budgets,
                ApiKey => changes.ApiKeys,
                _ => null,
            };
            if (counter is not null && !touched.Contains(counter))
            {
                touched.Add(counter);
            }
        }

        if (touched.Count > 0)
        {
            _pending.AddOrUpdate(context, [.. touched]);
            Advance(touched);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var touched))
        {
            Advance(touched);
            if (context.Database.CurrentTransaction is null)
            {
                _pending.Remove(context);
                Announce(touched);
            }
        }
    }

    private void Ended(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var touched))
        {
            _pending.Remove(context);
            Advance(touched);
            Announce(touched);
        }
    }

    private void Announce(IEnumerable<ChangeCounter> counters)
    {
        foreach (var counter in counters)
        {
            changes.Announce(counter);
        }
    }

    private static void Advance(IEnumerable<ChangeCounter> counters)
    {
        foreach (var counter in counters)
        {
            counter.Advance();
        }
    }
}
