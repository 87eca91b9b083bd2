using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SupportConsole.Data.Entities;

namespace SupportConsole.Data;

/// <summary>Counts changes to the settings table made through this process, so caches of it know they are stale.</summary>
public sealed class SettingsGeneration
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Advance() => Interlocked.Increment(ref _value);
}

/// <summary>
/// Advances <see cref="SettingsGeneration"/> around every save that adds, changes or deletes a <see cref="Setting"/>:
/// before it, after it, and when the transaction it ran in commits. A cache filled by a read that started before the
/// change became visible is therefore never trusted after it. Writes that bypass SaveChanges (raw SQL, ExecuteUpdate, another process)
/// are not seen here; the settings cache's short lifetime covers them.
/// </summary>
internal sealed class SettingsChangeInterceptor(SettingsGeneration generation) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

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
        if (context is not null && context.ChangeTracker.Entries<Setting>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            _pending.AddOrUpdate(context, generation);
            generation.Advance();
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out _))
        {
            generation.Advance();
            if (context.Database.CurrentTransaction is null)
            {
                _pending.Remove(context);
            }
        }
    }

    private void Ended(DbContext? context)
    {
        if (context is not null && _pending.Remove(context))
        {
            generation.Advance();
        }
    }
}
