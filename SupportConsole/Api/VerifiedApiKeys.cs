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

    private readonly FreshCache<string, VerifiedApiKey?> _keys =
        new(changes.ApiKeys, TimeSpan.FromMilliseconds(options.Value.ApiKeysMilliseconds), clock, comparer: StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, long> _lastUsedWritten = new();

    /// <summary>The active stored key <paramref name="key"/> is, or null for an unknown or revoked one.</summary>
    public async Task<VerifiedApiKey?> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        var prefix = ApiKeyFormat.LookupPrefix(key);
        if (prefix.Length == 0)
        {
            return null;
        }

        var verified = await _keys.GetAsync(ApiKeyFormat.Hash(key), async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            var candidates = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix && k.RevokedAt == null).ToListAsync(token);
            var match = candidates.FirstOrDefault(k => ApiKeyFormat.Matches(key, k.Hash));
            return match is null ? null : new VerifiedApiKey(match.Id, match.Name, match.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }, cancellationToken, keep: found => found is not null);
        if (verified is not null)
        {
            await RecordUseAsync(verified.Id, cancellationToken);
        }

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
}
