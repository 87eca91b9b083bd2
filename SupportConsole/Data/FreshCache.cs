using System.Collections.Concurrent;

namespace SupportConsole.Data;

/// <summary>
/// The one cache of what the request path reads again and again (the gate's settings, a customer's records, the
/// budgets, a verified API key). An entry is used while it is younger than its kind's age (<see cref="CacheOptions"/>)
/// and no change of its kind was saved since it was read: the kind's <see cref="ChangeCounter"/> is read before the
/// database, so a change committed while reading leaves the entry stale at once. Saves through EF Core on this
/// instance advance the counter (<see cref="CacheInvalidationInterceptor"/>), and so do those of the other instances
/// when their notification arrives (the change feed); anything else is seen when the entry ages out.
/// </summary>
public sealed class FreshCache<TKey, TValue>
    where TKey : notnull
{
    /// <summary>Past this many entries the cache starts over (it only bridges a second or so anyway).</summary>
    private const int MaxEntries = 10_000;

    private readonly ChangeCounter _changes;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim? _oneReader;
    private readonly ConcurrentDictionary<TKey, Entry> _entries;

    /// <param name="oneReader">
    /// Readers that find the entry stale wait for one read instead of each reading (for an entry every request needs,
    /// such as all the budgets at once).
    /// </param>
    public FreshCache(ChangeCounter changes, TimeSpan maxAge, TimeProvider clock, bool oneReader = false, IEqualityComparer<TKey>? comparer = null)
    {
        _changes = changes;
        _maxAge = maxAge;
        _clock = clock;
        _oneReader = oneReader ? new SemaphoreSlim(1, 1) : null;
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
    }

    /// <summary>
    /// The value of <paramref name="key"/>: cached while fresh, else from <paramref name="read"/>, kept unless
    /// <paramref name="keep"/> says no (a customer that does not exist yet may be created by the very next ticket).
    /// </summary>
    public async ValueTask<TValue> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> read, CancellationToken cancellationToken,
        Func<TValue, bool>? keep = null)
    {
        var generation = _changes.Value;
        if (TryFresh(key, generation, out var cached))
        {
            return cached;
        }

        if (_oneReader is null)
        {
            return await ReadAsync(key, generation, read, keep, cancellationToken);
        }

        await _oneReader.WaitAsync(cancellationToken);
        try
        {
            return TryFresh(key, generation, out cached) ? cached : await ReadAsync(key, generation, read, keep, cancellationToken);
        }
        finally
        {
            _oneReader.Release();
        }
    }

    private bool TryFresh(TKey key, long generation, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation && _clock.GetElapsedTime(entry.ReadAt) < _maxAge)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    private async Task<TValue> ReadAsync(TKey key, long generation, Func<CancellationToken, Task<TValue>> read, Func<TValue, bool>? keep,
        CancellationToken cancellationToken)
    {
        var readAt = _clock.GetTimestamp();
        var value = await read(cancellationToken);
        if (keep?.Invoke(value) == false)
        {
            _entries.TryRemove(key, out _);
            return value;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(value, generation, readAt);
        return value;
    }

    private sealed record Entry(TValue Value, long Generation, long ReadAt);
}
