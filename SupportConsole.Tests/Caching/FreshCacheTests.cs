using Microsoft.Extensions.Time.Testing;
using SupportConsole.Data;

namespace SupportConsole.Tests.Caching;

public sealed class FreshCacheTests
{
    private static readonly TimeSpan Age = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _clock = new();
    private readonly DataChanges _changes = new();
    private int _reads;

    [Fact]
    public async Task AnEntryIsUsedWhileYoungerThanItsAge()
    {
        var cache = new FreshCache<string, int>(_changes.Settings, Age, _clock);
        Assert.Equal(1, await cache.GetAsync("gate", ReadAsync, CancellationToken.None));
        _clock.Advance(Age - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await cache.GetAsync("gate", ReadAsync, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await cache.GetAsync("gate", ReadAsync, CancellationToken.None));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task ASaveOfItsKindMakesTheEntryStaleAtOnceAndOtherKindsDoNot()
    {
        var cache = new FreshCache<string, int>(_changes.Settings, Age, _clock);
        await cache.GetAsync("gate", ReadAsync, CancellationToken.None);
        _changes.Customers.Advance();
        Assert.Equal(1, await cache.GetAsync("gate", ReadAsync, CancellationToken.None));
        _changes.Settings.Advance();
        Assert.Equal(2, await cache.GetAsync("gate", ReadAsync, CancellationToken.None));
    }

    [Fact]
    public async Task AChangeAnnouncedByAnotherInstanceMakesTheEntryStale()
    {
        var announced = new List<string>();
        var here = new DataChanges(announced.Add);
        var cache = new FreshCache<string, int>(here.ApiKeys, Age, _clock);
        await cache.GetAsync("key", ReadAsync, CancellationToken.None);

        // What the change feed does with another instance's notification; this instance announces nothing back.
        here.Follow("api-keys");
        Assert.Equal(2, await cache.GetAsync("key", ReadAsync, CancellationToken.None));
        here.Follow("no-such-kind");
        Assert.Equal(2, await cache.GetAsync("key", ReadAsync, CancellationToken.None));
        Assert.Empty(announced);

        here.Announce(here.Budgets);
        Assert.Equal(["budgets"], announced);
    }

    [Fact]
    public async Task AChangeCommittedWhileReadingLeavesTheEntryStale()
    {
        var cache = new FreshCache<string, int>(_changes.Settings, Age, _clock);
        await cache.GetAsync("gate", _ =>
        {
            // Saved after the read began: the value read may predate it.
            _changes.Settings.Advance();
            return ReadAsync(CancellationToken.None);
        }, CancellationToken.None);
        Assert.Equal(2, await cache.GetAsync("gate", ReadAsync, CancellationToken.None));
    }

    [Fact]
    public async Task AValueItIsToldNotToKeepIsReadAgainNextTime()
    {
        var cache = new FreshCache<string, int>(_changes.Customers, Age, _clock);
        Assert.Equal(1, await cache.GetAsync("unknown", ReadAsync, CancellationToken.None, keep: v => v > 1));
        Assert.Equal(2, await cache.GetAsync("unknown", ReadAsync, CancellationToken.None, keep: v => v > 1));
        Assert.Equal(2, await cache.GetAsync("unknown", ReadAsync, CancellationToken.None, keep: v => v > 1));
    }

    [Fact]
    public async Task WithOneReaderTheRequestsThatFindItStaleShareOneRead()
    {
        var cache = new FreshCache<string, int>(_changes.Budgets, Age, _clock, oneReader: true);
        var release = new TaskCompletionSource();
        async Task<int> SlowReadAsync(CancellationToken token)
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(10), token);
            return Interlocked.Increment(ref _reads);
        }

        var waiting = Enumerable.Range(0, 8).Select(_ => cache.GetAsync("all", SlowReadAsync, CancellationToken.None).AsTask()).ToList();
        release.SetResult();
        Assert.All(await Task.WhenAll(waiting), v => Assert.Equal(1, v));
        Assert.Equal(1, _reads);
    }

    private Task<int> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Interlocked.Increment(ref _reads));
}
