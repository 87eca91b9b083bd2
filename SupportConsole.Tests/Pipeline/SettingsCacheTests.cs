using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;

namespace SupportConsole.Tests.Pipeline;

/// <summary>
/// The gate settings the pipeline reads for every ticket come through a short-lived cache: a change saved through this
/// process applies to the very next read, one made around it (another instance) within the cache's age. The clock's
/// monotonic time stands still unless a test moves it, so only invalidation can refresh the cache.
/// </summary>
public sealed class SettingsCacheTests : IDisposable
{
    private readonly PipelineDatabase _database = new(settingsCacheMilliseconds: 500);

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

    private async Task<Engine.Pipeline.GateSettings> ReadAsync() => (await _database.Settings.CurrentGateAsync(_database.Contexts, CancellationToken.None)).Gate;
}
