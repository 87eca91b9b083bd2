using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Cli;
using SupportConsole.Data;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Reporting;

/// <summary>
/// A small simulation (real pipeline, simulated cloud model, agents at work) once per class; the rollups are checked
/// against the receipts, and a rebuild from the facts against what the live path wrote.
/// </summary>
public sealed class SimulatedTrafficTests : IClassFixture<SimulatedTrafficTests.Simulation>
{
    private readonly Simulation _simulation;

    public SimulatedTrafficTests(Simulation simulation) => _simulation = simulation;

    [Fact]
    public async Task RollupsEqualTheReceiptsPerCustomerDayAndStage()
    {
        await using var db = _simulation.Database();

        await RollupChecks.AssertMatchReceiptsAsync(db);
        Assert.True(await db.DailyStageCosts.Select(r => r.Day).Distinct().CountAsync() >= 5, "traffic should spread over the days");
    }

    [Fact]
    public async Task ARebuildFromTheFactsGivesTheSameRollups()
    {
        IReadOnlyList<string> live;
        await using (var db = _simulation.Database())
        {
            live = await RollupChecks.SnapshotAsync(db);
        }

        var (code, output, error) = await CommandLine.Run("reports", "rebuild", "--data-dir", _simulation.Directory);

        Assert.True(code == 0, error);
        Assert.Equal(_simulation.Report.GetProperty("ticketsCreated").GetInt32(), JsonDocument.Parse(output).RootElement.GetProperty("tickets").GetInt32());
        await using var after = _simulation.Database();
        Assert.Equal(live, await RollupChecks.SnapshotAsync(after));
    }

    [Fact]
    public async Task TheSimulatedFloorHasAgentsCloudSpendAndBudgets()
    {
        var report = _simulation.Report;
        var actions = report.GetProperty("agentActions");

        Assert.Equal(220, report.GetProperty("ticketsCreated").GetInt32());
        Assert.Equal(0, report.GetProperty("ticketsFailed").GetInt32());
        Assert.True(actions.GetProperty("approved").GetInt32() > actions.GetProperty("edited").GetInt32());
        Assert.True(actions.GetProperty("edited").GetInt32() > 0);
        Assert.True(actions.GetProperty("rejected").GetInt32() > 0);
        Assert.True(actions.GetProperty("escalationsAnswered").GetInt32() > 0);
        Assert.True(report.GetProperty("cloudTickets").GetInt32() > 0);
        Assert.True(report.GetProperty("budgetsCreated").GetInt32() >= 1);
        var bands = report.GetProperty("bands");
        Assert.All(new[] { "auto", "suggest", "escalate" }, b => Assert.True(bands.GetProperty(b).GetInt32() > 0, b));

        await using var db = _simulation.Database();
        var customers = await db.DailyCustomerStats.GroupBy(r => r.CustomerId).Select(g => g.Sum(r => r.Tickets)).ToListAsync();
        Assert.True(customers.Max() >= 4 * customers.Order().ElementAt(customers.Count / 2), "volume should be heavy-tailed");
        Assert.True(await db.CostReceipts.AnyAsync(r => !r.IsLocal && r.Model == "simulated-cloud"));
        Assert.True(await db.DailyIntentStats.SumAsync(r => r.DraftsEdited) > 0);
        var times = await db.Tickets.Where(t => t.ExternalId.StartsWith("sim")).Select(t => t.IngestedAt).ToListAsync();
        Assert.True(times.Min() < DateTimeOffset.UtcNow.AddDays(-5), "tickets should carry simulated times in the past");
        var answered = await db.Tickets.Where(t => t.FirstResponseAt != null).Select(t => new { t.IngestedAt, t.FirstResponseAt }).ToListAsync();
        Assert.Contains(answered, t => t.FirstResponseAt > t.IngestedAt.AddMinutes(1));
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameCounts()
    {
        using var first = new TemporaryDirectory();
        using var second = new TemporaryDirectory();

        var texts = Path.Combine(RepositoryPaths.Root, "data", "banking77", "test.csv");
        var a = await CommandLine.Run("simulate", "--days", "3", "--tickets", "40", "--customers", "20", "--seed", "9", "--texts", texts, "--data-dir", first.Path);
        var b = await CommandLine.Run("simulate", "--days", "3", "--tickets", "40", "--customers", "20", "--seed", "9", "--texts", texts, "--data-dir", second.Path);

        Assert.True(a.Code == 0, a.Error);
        Assert.True(b.Code == 0, b.Error);
        string Counts(string json)
        {
            var root = JsonDocument.Parse(json).RootElement;
            return $"{root.GetProperty("channels")} {root.GetProperty("bands")} {root.GetProperty("ticketsCreated")}";
        }

        Assert.Equal(Counts(a.Output), Counts(b.Output));
        SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("--tickets", "0")]
    [InlineData("--days", "-3")]
    [InlineData("--customers", "lots")]
    [InlineData("--workers", "99")]
    public async Task BadArgumentsAreOneErrorLineAndExitTwo(string option, string value)
    {
        var (code, output, error) = await CommandLine.Run("simulate", option, value, "--data-dir", _simulation.Directory + "-never");

        Assert.Equal(SupportConsoleCommandLine.UsageError, code);
        Assert.StartsWith("error:", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(output);
        Assert.False(System.IO.Directory.Exists(_simulation.Directory + "-never"));
    }

    public sealed class Simulation : IAsyncLifetime
    {
        private readonly TemporaryDirectory _directory = new();

        public string Directory => _directory.Path;

        public JsonElement Report { get; private set; }

        public async Task InitializeAsync()
        {
            var (code, output, error) = await CommandLine.Run("simulate", "--days", "10", "--tickets", "220", "--customers", "40", "--seed", "5",
                "--simulated-cloud", "--texts", Path.Combine(RepositoryPaths.Root, "data", "banking77", "test.csv"), "--data-dir", Directory);
            Assert.True(code == 0, error);
            Report = JsonDocument.Parse(output).RootElement.Clone();
        }

        public SupportConsoleDbContext Database() => new(new DbContextOptionsBuilder<SupportConsoleDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Directory, "supportconsole.db")}").Options);

        public Task DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            _directory.Dispose();
            return Task.CompletedTask;
        }
    }
}
