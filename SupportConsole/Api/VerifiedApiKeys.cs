using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Identity;

namespace SupportConsole.Api;

/// <summary>A stored API key that matched: who it is and what it may do.</summary>
public sealed record VerifiedApiKey(Guid Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>
/// Stored API keys as every request checks them: a key verified against the database is trusted for
/// <see cref="CacheOptions.ApiKeysMilliseconds"/>, so sustained traffic on one key costs a query a second, not one per
/// request. Creating or revoking a key through this process empties the cache at once (see
/// <see cref="CacheInvalidationInterceptor"/>); a revocation on another instance is honoured within the cache's age.
/// Entries are keyed by the key's SHA-256, never by the key itself. <c>LastUsedAt</c> is written at most once per
/// <see cref="LastUsedResolution"/> per key.
/// </summary>
public sealed class VerifiedApiKeys(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    DataChanges changes,
    IOptions<CacheOptions> options,
    TimeProvider clock)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Past this many cached keys the cache starts over.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, long> _lastUsedWritten = new();

    /// <summary>The active stored key <paramref name="key"/> is, or null for an unknown or revoked one.</summary>
    public async Task<VerifiedApiKey?> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeyFormat.Hash(key);

        // The counter is read before the database: a change committed while reading leaves this entry stale at once.
        var generation = changes.ApiKeys.Value;
        if (_entries.TryGetValue(hash, out var entry) && entry.Generation == generation
            && clock.GetElapsedTime(entry.ReadAt).TotalMilliseconds < options.Value.ApiKeysMilliseconds)
        {
            await RecordUseAsync(entry.Key.Id, cancellationToken);
            return entry.Key;
        }

        var readAt = clock.GetTimestamp();
        var prefix = ApiKeyFormat.LookupPrefix(key);
        if (prefix.Length == 0)
        {
            return null;
        }

        VerifiedApiKey? verified;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var candidates = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix && k.RevokedAt == null).ToListAsync(cancellationToken);
            var match = candidates.FirstOrDefault(k => ApiKeyFormat.Matches(key, k.Hash));
            verified = match is null ? null : new VerifiedApiKey(match.Id, match.Name, match.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        if (verified is null)
        {
            _entries.TryRemove(hash, out _);
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[hash] = new Entry(verified, generation, readAt);
        await RecordUseAsync(verified.Id, cancellationToken);
        return verified;
    }

    /// <summary>Writes <c>LastUsedAt</c> unless this process wrote it for the key within the last <see cref="LastUsedResolution"/>.</summary>
    private async Task RecordUseAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (_lastUsedWritten.TryGetValue(id, out var written) && clock.GetElapsedTime(written, now) < LastUsedResolution)
        {
            return;
        }

        _lastUsedWritten[id] = now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        // A bulk update, not SaveChanges: using a key is not a change to the keys (it leaves the cache as it is).
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, clock.GetUtcNow()), cancellationToken);
    }

    private sealed record Entry(VerifiedApiKey Key, long Generation, long ReadAt);
}
