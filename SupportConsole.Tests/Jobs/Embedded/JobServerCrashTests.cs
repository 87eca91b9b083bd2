using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Routing;
using SupportConsole.Operations;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Jobs.Embedded;

/// <summary>
/// The console killed with SIGKILL in the middle of a retraining, on the embedded default (its own process, SQLite files):
/// after the restart the same run resumes at once and finishes once, without waiting on what the dead process held.
/// </summary>
public sealed class JobServerCrashTests
{
    [Fact]
    public async Task ARetrainingKilledMidRunFinishesOnceAfterARestartWithoutWaitingOnTheDeadProcesssLocks()
    {
        using var state = new TemporaryDirectory();
        var training = state.File("train.csv");
        var all = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true);
        File.WriteAllLines(training, ["text,category", .. all.GroupBy(e => e.Category).SelectMany(g => g.Take(25)).Select(e => $"\"{e.Text.Replace("\"", "\"\"")}\",{e.Category}")]);
        var data = Path.Combine(state.Path, "var");
        var environment = new Dictionary<string, string>
        {
            ["SUPPORTCONSOLE_DATA_DIR"] = data,
            ["Retraining__BaseTrainingData"] = training,
            ["Retraining__Folds"] = "3",
            ["Retraining__HiddenUnits"] = "32",
            ["Retraining__MaxEpochs"] = "8",
            ["Retraining__MinIntentSamples"] = "10",
            ["Retraining__ShadowTickets"] = "50",
            ["Retraining__SkipWhenUnchanged"] = "false",

            // The weekly retraining, due within seconds.
            ["Jobs__RouterRetrainCron"] = "*/10 * * * * *",
        };

        await using (var doomed = await AppInstanceProcess.StartAsync("doomed", environment, TimeSpan.FromSeconds(180), CancellationToken.None))
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await UntilAsync(data, r => r is { State: JobRunState.Running, Progress: > 0 and < 0.9 }, limit.Token);
            doomed.Kill();
            Assert.True(doomed.HasExited);
        }

        // The run is left "running" by a process that no longer exists; its Hangfire job fetched, its lock held.
        var interrupted = await RetrainRunAsync(data);
        Assert.Equal(JobRunState.Running, interrupted!.State);
        Assert.Equal(1, interrupted.Attempts);

        // Back with the schedule moved away, so the only retraining is the interrupted one.
        environment["Jobs__RouterRetrainCron"] = "0 4 * * 0";
        await using var restarted = await AppInstanceProcess.StartAsync("restarted", environment, TimeSpan.FromSeconds(180), CancellationToken.None);
        var up = Stopwatch.StartNew();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await UntilAsync(data, r => r.Attempts >= 2, limit.Token);
        }

        // Sooner than the lock the dead process held would have expired by itself (30 s), let alone the fetch timeout (hours).
        var resumedAfter = up.Elapsed;
        Assert.True(resumedAfter < TimeSpan.FromSeconds(25), $"the run resumed {resumedAfter.TotalSeconds:0.0} s after the restart");
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(240)))
        {
            await UntilAsync(data, r => r.State is JobRunState.Succeeded or JobRunState.Failed, limit.Token);
        }

        var run = await RetrainRunAsync(data);
        Assert.Equal(JobRunState.Succeeded, run!.State);
        Assert.Equal(2, run.Attempts);
        await using var db = Open(data);
        Assert.Equal(1, await db.JobRuns.CountAsync(r => r.Kind == JobKinds.RouterRetrain));
        Assert.Equal(1, await db.RouterModels.CountAsync(m => m.JobRunId == run.Id));
        Assert.False(restarted.Printed("DistributedLockTimeoutException"), restarted.RecentOutput);
        Assert.False(restarted.Printed("database is locked"), restarted.RecentOutput);
    }

    private static SupportConsoleDbContext Open(string data) =>
        new(new DbContextOptionsBuilder<SupportConsoleDbContext>().UseSqlite($"Data Source={Path.Combine(data, "supportconsole.db")};Pooling=False").Options);

    private static async Task<JobRun?> RetrainRunAsync(string data)
    {
        if (!File.Exists(Path.Combine(data, "supportconsole.db")))
        {
            return null;
        }

        await using var db = Open(data);
        try
        {
            return await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.RouterRetrain).OrderBy(r => r.CreatedAt).FirstOrDefaultAsync();
        }
        catch (SqliteException)
        {
            // The instance is still creating the schema.
            return null;
        }
    }

    private static async Task UntilAsync(string data, Func<JobRun, bool> condition, CancellationToken cancellationToken)
    {
        while (await RetrainRunAsync(data) is not { } run || !condition(run))
        {
            await Task.Delay(100, cancellationToken);
        }
    }
}
