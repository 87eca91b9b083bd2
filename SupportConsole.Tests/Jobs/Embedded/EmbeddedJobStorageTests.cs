using System.Net;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data.Entities;
using SupportConsole.Delivery;
using SupportConsole.Jobs;
using SupportConsole.Operations;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Jobs.Embedded;

/// <summary>
/// Hangfire on its SQLite file (the embedded default) against the failure modes its own tracker reports: double
/// execution under several workers, schedules fired twice or lost across a restart, history lost on a restart, a second
/// SQLite library in the process. Real Hangfire server, real files; side effects counted, not Hangfire's counters.
/// </summary>
public sealed class EmbeddedJobStorageTests
{
    [Fact]
    public async Task FiveHundredJobsOnTwoWorkersAreEachExecutedExactlyOnce()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["Jobs:WorkerCount"] = "2" }, sqliteOnly: true);
        app.StartServer();
        var client = app.Services.GetRequiredService<IBackgroundJobClient>();
        var probes = app.Services.GetRequiredService<JobProbeRecorder>();

        // From several threads at once, as pages, the outbox trigger and schedules enqueue.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = t; i < 500; i += 4)
            {
                probes.Enqueue(client, i);
            }
        })));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await JobBenchmark.UntilAsync(() => probes.Distinct == 500, limit.Token);

        // A second execution would come after another poll of the queue (or a fetch timeout): give it several polls.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal(1, probes.ExecutionsOf(i)));
        Assert.Equal(500, probes.Executions);
        Assert.IsType<SQLiteStorage>(app.Services.GetRequiredService<JobStorage>());
    }

    [Fact]
    public async Task BothSqliteLibrariesShareOneNativeSqliteAndKeepTheirFilesInWalMode()
    {
        using var app = new AppFactory(sqliteOnly: true);
        app.StartServer();
        await JobWaits.RunAsync(app, JobKinds.KnowledgeReembed);

        // Microsoft.Data.Sqlite (EF Core) and sqlite-net (Hangfire's storage) both go through SQLitePCLRaw's provider.
        var hangfire = app.Services.GetRequiredService<EmbeddedJobStorage>().Storage;
        using var context = hangfire.CreateAndOpenConnection();
        var hangfireMode = context.Database.ExecuteScalar<string>("PRAGMA journal_mode");
        var hangfireVersion = context.Database.ExecuteScalar<string>("SELECT sqlite_version()");
        await using var db = app.Database();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        string Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (string)command.ExecuteScalar()!;
        }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal("wal", hangfireMode);
        Assert.Equal(Scalar("SELECT sqlite_version()"), hangfireVersion);
        var mapped = File.ReadAllLines("/proc/self/maps").Where(l => l.Contains("sqlite3", StringComparison.Ordinal) && l.EndsWith(".so", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).Distinct().ToList();
        Assert.Single(mapped);
        Assert.True(File.Exists(EmbeddedJobStorage.PathIn(app.StateDirectory)));
        Assert.True(File.Exists(Path.Combine(app.StateDirectory, "supportconsole.db")));
    }

    [Fact]
    public async Task TheDashboardShowsYesterdaysRunsAfterARestart()
    {
        using var state = new TemporaryDirectory();
        string hangfireId;
        using (var first = new AppFactory(stateDirectory: state.Path, sqliteOnly: true))
        {
            var run = await JobWaits.RunAsync(first, JobKinds.KnowledgeReembed);
            Assert.Equal(JobRunState.Succeeded, run.State);
            hangfireId = run.HangfireJobId!;
        }

        // The run happened yesterday: its job, states and parameters a day older, as a day of waiting would leave them.
        SqliteConnection.ClearAllPools();
        await using (var file = new SqliteConnection($"Data Source={EmbeddedJobStorage.PathIn(state.Path)};Pooling=False"))
        {
            await file.OpenAsync();
            await using var shift = file.CreateCommand();
            shift.CommandText = """
                UPDATE Job SET CreatedAt = CreatedAt - $day, ExpireAt = ExpireAt - $day WHERE Id = $id;
                UPDATE State SET CreatedAt = CreatedAt - $day, ExpireAt = CASE WHEN ExpireAt > 0 THEN ExpireAt - $day ELSE 0 END WHERE JobId = $id;
                UPDATE JobParameter SET ExpireAt = CASE WHEN ExpireAt > 0 THEN ExpireAt - $day ELSE 0 END WHERE JobId = $id;
                """;
            shift.Parameters.AddWithValue("$day", TimeSpan.FromDays(1).Ticks);
            shift.Parameters.AddWithValue("$id", int.Parse(hangfireId, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(await shift.ExecuteNonQueryAsync() >= 3);
        }

        using var second = new AppFactory(stateDirectory: state.Path, sqliteOnly: true);
        second.StartServer();

        // The storage's own expiration pass, now rather than at its next hour.
        var storage = (SQLiteStorage)second.Services.GetRequiredService<JobStorage>();
        new ExpirationManager(storage, TimeSpan.Zero).Execute(new CancellationToken(canceled: true));

        var job = storage.GetMonitoringApi().JobDetails(hangfireId);
        Assert.NotNull(job);
        // (This storage reports a job's CreatedAt as the time of asking; its state history keeps the real times.)
        Assert.InRange(DateTime.UtcNow - job.History.Max(h => h.CreatedAt), TimeSpan.FromHours(23), TimeSpan.FromHours(25));
        Assert.True(job.ExpireAt > DateTime.UtcNow.AddDays(5), $"expires {job.ExpireAt:O}");
        using var admin = await SignedInClient.CreateAsync(second, "admin");
        var page = await admin.GetStringAsync($"{JobsRegistration.DashboardPath}/jobs/succeeded");
        Assert.Contains("Re-embed the knowledge base (run", page);
        Assert.Contains($"{JobsRegistration.DashboardPath}/jobs/details/{hangfireId}\"", page);
    }

    [Fact]
    public async Task RecurringJobsFireOncePerOccurrenceOnTwoWorkersAndOnceForTheOccurrencesMissedDuringARestart()
    {
        using var state = new TemporaryDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:WorkerCount"] = "2",
            ["Jobs:GoldenEvaluationCron"] = "*/10 * * * * *",
            ["Jobs:OutboxSweepCron"] = "*/5 * * * * *",
        };
        using (var first = new AppFactory(settings, stateDirectory: state.Path, sqliteOnly: true))
        {
            first.StartServer();
            await Task.Delay(TimeSpan.FromSeconds(25));
        }

        // Down across at least two evaluation occurrences and four sweeps.
        var down = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(22));
        var up = DateTime.UtcNow;
        using var second = new AppFactory(settings, stateDirectory: state.Path, sqliteOnly: true);
        second.StartServer();
        await Task.Delay(TimeSpan.FromSeconds(20));

        // Let every evaluation started so far end, then read those runs and the occurrence each was for (the schedule goes
        // on firing meanwhile: a run it starts after this point is not one of them).
        var runs = await ScheduledEvaluationsAsync(second);
        foreach (var run in runs)
        {
            await JobWaits.UntilEndedAsync(second, run.Id, TimeSpan.FromSeconds(60));
        }

        var ended = runs.Select(r => r.Id).ToHashSet();
        runs = [.. (await ScheduledEvaluationsAsync(second)).Where(r => ended.Contains(r.Id))];
        var storage = second.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var fired = runs.Select(r => Fired(storage, connection, r.HangfireJobId!)).ToList();
        Assert.True(runs.Count >= 5, $"only {runs.Count} scheduled evaluations");
        Assert.Equal(runs.Count, runs.Select(r => r.HangfireJobId).Distinct().Count());
        Assert.Equal(runs.Count, fired.Select(f => f.Occurrence).Distinct().Count());
        Assert.All(runs, r => Assert.Equal(JobRunState.Succeeded, r.State));

        // Each run did its work once: one stored evaluation each.
        await using var db = second.Database();
        var evaluations = (await db.EvaluationRuns.AsNoTracking().Where(e => e.JobRunId != null).Select(e => e.JobRunId!.Value).ToListAsync())
            .Where(ended.Contains).ToList();
        Assert.Equal(runs.Select(r => r.Id).Order(), evaluations.Order());

        // Nothing was created while the process was down; the occurrences missed meanwhile fired once in all (Hangfire
        // labels that one job with the last missed occurrence or with the time it fired), soon after it was back.
        AssertFiredOnceForTheMissedOccurrences(fired, down, up, "evaluation");
        var afterRestart = fired.Where(f => f.Created >= up).Select(f => f.Created).Order().ToList();
        Assert.NotEmpty(afterRestart);
        Assert.True(afterRestart[0] < up.AddSeconds(15), $"the first execution after the restart was created at {afterRestart[0]:O}, {(afterRestart[0] - up).TotalSeconds:0.0} s after it");

        // The sweep: one Hangfire job per occurrence as well.
        var sweeps = SweepJobs(storage, connection);
        Assert.True(sweeps.Count >= 8, $"only {sweeps.Count} sweeps");
        Assert.Equal(sweeps.Count, sweeps.Select(f => f.Occurrence).Distinct().Count());
        AssertFiredOnceForTheMissedOccurrences(sweeps, down, up, "sweep");
    }

    private static void AssertFiredOnceForTheMissedOccurrences(List<FiredJob> fired, DateTime down, DateTime up, string what)
    {
        var listing = string.Join(", ", fired.OrderBy(f => f.Created).Select(f => $"{f.Occurrence:HH:mm:ss} created {f.Created:HH:mm:ss.f}"));
        Assert.True(!fired.Any(f => f.Created > down && f.Created < up), $"a {what} was created while the process was down ({down:HH:mm:ss.f} to {up:HH:mm:ss.f}): {listing}");
        Assert.True(fired.Count(f => f.Occurrence > down && f.Occurrence < up) <= 1, $"the {what} occurrences missed while down fired more than once: {listing}");
    }

    [Fact]
    public async Task ASecondJobServerOnTheSameStateFolderIsRefusedWithAMessage()
    {
        using var state = new TemporaryDirectory();
        using var first = new AppFactory(stateDirectory: state.Path, sqliteOnly: true);
        first.StartServer();

        using var second = new AppFactory(stateDirectory: state.Path, sqliteOnly: true);
        var refused = Assert.ThrowsAny<Exception>(second.StartServer);
        var inner = refused;
        while (inner is not InvalidOperationException { Message: var message } || !message.Contains("another process runs the job server", StringComparison.Ordinal))
        {
            inner = inner.InnerException ?? throw new Xunit.Sdk.XunitException($"not the ownership message: {refused}");
        }

        // A page-only instance (no job server) may share it.
        using var pagesOnly = new AppFactory(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" }, stateDirectory: state.Path, sqliteOnly: true);
        using var response = await pagesOnly.Client().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<JobRun>> ScheduledEvaluationsAsync(AppFactory app)
    {
        await using var db = app.Database();
        return await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.GoldenEvaluation && r.TriggeredBy == "schedule").ToListAsync();
    }

    /// <summary>The occurrence a recurring job's execution was created for (Hangfire's "Time" parameter, Unix seconds).</summary>
    private sealed record FiredJob(DateTime Occurrence, DateTime Created);

    /// <summary>
    /// The occurrence a recurring job was fired for (its "Time" parameter) and when Hangfire created it: its first state
    /// (this storage reports the job's own CreatedAt as the time of asking).
    /// </summary>
    private static FiredJob Fired(JobStorage storage, Hangfire.Storage.IStorageConnection connection, string hangfireJobId) => new(
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(connection.GetJobParameter(hangfireJobId, "Time"), System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime,
        storage.GetMonitoringApi().JobDetails(hangfireJobId).History.Min(h => h.CreatedAt));

    private static List<FiredJob> SweepJobs(JobStorage storage, Hangfire.Storage.IStorageConnection connection)
    {
        var monitoring = storage.GetMonitoringApi();
        var ids = monitoring.SucceededJobs(0, 10_000).Select(j => j.Key)
            .Concat(monitoring.ProcessingJobs(0, 10_000).Select(j => j.Key))
            .Concat(monitoring.FailedJobs(0, 10_000).Select(j => j.Key));
        return [.. ids.Where(id => connection.GetJobParameter(id, "RecurringJobId") is { } recurring && recurring.Contains(OutboxDeliveryJob.RecurringId, StringComparison.Ordinal))
            .Select(id => Fired(storage, connection, id))];
    }
}
