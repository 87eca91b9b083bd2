using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Tests.Pipeline;

/// <summary>
/// The gate settings and customer records the pipeline reads for every ticket come through short-lived caches: a change saved through this
/// process applies to the very next read, one made around it (another instance) within the cache's age. The clock's
/// monotonic time stands still unless a test moves it, so only invalidation can refresh the cache.
/// </summary>
public sealed class PipelineCacheTests : IDisposable
{
    private readonly PipelineDatabase _database = new(cacheMilliseconds: 500);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AKillSwitchSavedThroughThisProcessAppliesToTheVeryNextRead()
    {
        Assert.False((await ReadAsync()).KillSwitchEngaged);

        await using (var db = await _database.Contexts.CreateDbContextAsync())
        {
            var row = await db.Settings.SingleAsync(s => s.Key == SettingKeys.KillSwitch);
            _database.Settings.Write(db, row, "on", "test-admin", "cache test");
            await db.SaveChangesAsync();
        }

        Assert.True((await ReadAsync()).KillSwitchEngaged);
    }

    [Fact]
    public async Task AChangeSavedInATransactionAppliesOnceItCommits()
    {
        Assert.Equal(0.92, (await ReadAsync()).GroundednessFloor);

        await using var db = await _database.Contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var row = await db.Settings.SingleAsync(s => s.Key == SettingKeys.GroundednessFloor);
        _database.Settings.Write(db, row, "0.5", "test-manager", "cache test");
        await db.SaveChangesAsync();

        // Not committed yet: other connections still read the old value (and may cache it).
        Assert.Equal(0.92, (await ReadAsync()).GroundednessFloor);
        await transaction.CommitAsync();

        Assert.Equal(0.5, (await ReadAsync()).GroundednessFloor);
    }

    [Fact]
    public async Task AChangeMadeBehindThisProcessArrivesWhenTheCacheExpires()
    {
        Assert.False((await ReadAsync()).KillSwitchEngaged);

        // As another instance would: straight to the table, past this process's SaveChanges.
        await using (var db = await _database.Contexts.CreateDbContextAsync())
        {
            await db.Settings.Where(s => s.Key == SettingKeys.KillSwitch).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, "on"));
        }

        Assert.False((await ReadAsync()).KillSwitchEngaged);
        _database.Clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False((await ReadAsync()).KillSwitchEngaged);
        _database.Clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.True((await ReadAsync()).KillSwitchEngaged);
    }

    [Fact]
    public async Task ARecordSavedForACustomerIsInTheVeryNextReadOfTheirRecords()
    {
        await using (var db = await _database.Contexts.CreateDbContextAsync())
        {
            db.Customers.Add(new Customer { Id = "cache-c1", Name = "Ada Lovelace", Plan = "Plus", CreatedAt = DateTimeOffset.UtcNow });
            db.Customers.Add(new Customer { Id = "cache-c2", Name = "Grace Hopper", Plan = "Basic", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Empty((await _database.Customers.GetAsync("cache-c1", CancellationToken.None))!.Transactions);
        Assert.Equal("Basic", (await _database.Customers.GetAsync("cache-c2", CancellationToken.None))!.Plan);

        await using (var db = await _database.Contexts.CreateDbContextAsync())
        {
            db.CustomerTransactions.Add(new CustomerTransaction
            {
                Id = "cache-t1", CustomerId = "cache-c1", Date = new DateOnly(2026, 11, 20), Kind = "card_payment", Description = "Tesco Metro",
                Amount = 23.40m, Currency = "GBP", Status = "pending",
            });
            await db.SaveChangesAsync();
        }

        var records = await _database.Customers.GetAsync("cache-c1", CancellationToken.None);
        Assert.Equal("Tesco Metro", Assert.Single(records!.Transactions).Description);
        Assert.Empty((await _database.Customers.GetAsync("cache-c2", CancellationToken.None))!.Transactions);
        Assert.Null(await _database.Customers.GetAsync("cache-unknown", CancellationToken.None));
    }

    [Fact]
    public async Task ACustomerChangedBehindThisProcessIsSeenWhenTheCacheExpires()
    {
        await using (var db = await _database.Contexts.CreateDbContextAsync())
        {
            db.Customers.Add(new Customer { Id = "cache-c3", Plan = "Basic", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Equal("Basic", (await _database.Customers.GetAsync("cache-c3", CancellationToken.None))!.Plan);
        await using (var db = await _database.Contexts.CreateDbContextAsync())
        {
            await db.Customers.Where(c => c.Id == "cache-c3").ExecuteUpdateAsync(s => s.SetProperty(c => c.Plan, "Premium"));
        }

        Assert.Equal("Basic", (await _database.Customers.GetAsync("cache-c3", CancellationToken.None))!.Plan);
        _database.Clock.Advance(TimeSpan.FromMilliseconds(501));
        Assert.Equal("Premium", (await _database.Customers.GetAsync("cache-c3", CancellationToken.None))!.Plan);
    }

    private async Task<Engine.Gate.GateSettings> ReadAsync() => (await _database.Settings.CurrentGateAsync(_database.Contexts, CancellationToken.None)).Gate;
}
