using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Jobs;

/// <summary>A job run as pages show it.</summary>
public sealed record JobRunView(
    Guid Id,
    string Kind,
    JobRunState State,
    double Progress,
    string? ProgressMessage,
    string TriggeredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    bool CancelRequested,
    string? Error,
    string? ResultJson,
    string? HangfireJobId)
{
    public bool IsActive => State is JobRunState.Queued or JobRunState.Running;

    public string Title => JobKinds.Title(Kind);

    public static JobRunView Of(JobRun r) => new(r.Id, r.Kind, r.State, r.Progress, r.ProgressMessage, r.TriggeredBy, r.CreatedAt, r.StartedAt,
        r.FinishedAt, r.Attempts, r.CancelRequested, r.Error, r.ResultJson, r.HangfireJobId);
}

/// <summary>Job runs on the <see cref="ChangeFeed"/>: the jobs page and every run's status update live, on every instance.</summary>
public static class JobTopics
{
    public static readonly ChangeTopic<JobRunView> RunChanged =
        new("job-run", run => JsonSerializer.Serialize(run with { ResultJson = null }), payload => JsonSerializer.Deserialize<JobRunView>(payload));
}

/// <summary>
/// The job runs table: creating runs (one per piece of work, however often it is asked for), their progress, their
/// end, and cancellation requests. Every state change is published to <see cref="JobTopics.RunChanged"/>.
/// </summary>
public sealed class JobRunStore(IDbContextFactory<SupportConsoleDbContext> contexts, ChangeFeed changes, TimeProvider clock, ILogger<JobRunStore> logger)
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    /// <summary>
    /// A new queued run for (<paramref name="kind"/>, <paramref name="workKey"/>), or the one already queued for it:
    /// asking twice for the same work gives one run. <c>Created</c> says which.
    /// </summary>
    public async Task<(JobRunView Run, bool Created)> CreateAsync(string kind, string workKey, string triggeredBy, CancellationToken cancellationToken)
    {
        if (!JobKinds.All.Contains(kind))
        {
            throw new ArgumentException($"unknown job kind '{kind}'", nameof(kind));
        }

        var existing = await FindQueuedAsync(kind, workKey, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        var now = clock.GetUtcNow();
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            WorkKey = workKey,
            ActiveKey = workKey,
            State = JobRunState.Queued,
            TriggeredBy = triggeredBy,
            CreatedAt = now,
            ProgressMessage = "queued",
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.JobRuns.Add(run);
        db.AuditEvents.Add(AuditEvent.Record(now, triggeredBy, "job.queued", "job-run", run.Id.ToString(), JsonSerializer.Serialize(new { kind, workKey })));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbExceptions.IsUniqueViolation(e))
        {
            // Asked for at the same moment by someone else (or on another instance): theirs is the run.
            return (await FindQueuedAsync(kind, workKey, cancellationToken) ?? throw new InvalidOperationException($"queued {kind} run vanished", e), false);
        }

        var view = JobRunView.Of(run);
        changes.Publish(JobTopics.RunChanged, view);
        return (view, true);
    }

    public async Task SetHangfireJobIdAsync(Guid runId, string hangfireJobId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.HangfireJobId, hangfireJobId), cancellationToken);
    }

    /// <summary>
    /// Marks the run started and returns it with a token that fires on a cancellation request or on
    /// <paramref name="hostToken"/>; null when the run already ended (a repeated execution does nothing).
    /// </summary>
    public async Task<(JobRun Run, CancellationTokenSource Cancellation)?> StartAsync(Guid runId, CancellationToken hostToken)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        if (!_running.TryAdd(runId, cancellation))
        {
            // Its Hangfire job was fetched a second time while this process still runs it (it outlived the fetch timeout).
            cancellation.Dispose();
            logger.LogWarning("Job run {RunId} is already running in this process; the second execution does nothing", runId);
            return null;
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(hostToken);
            var run = await db.JobRuns.FirstOrDefaultAsync(r => r.Id == runId, hostToken);
            if (run is null || run.State is JobRunState.Succeeded or JobRunState.Failed or JobRunState.Cancelled)
            {
                Forget(runId);
                return null;
            }

            if (run.CancelRequested)
            {
                await EndAsync(runId, JobRunState.Cancelled, "cancelled before it started", null, CancellationToken.None);
                return null;
            }

            var now = clock.GetUtcNow();
            run.State = JobRunState.Running;
            run.StartedAt ??= now;
            run.Attempts++;
            run.Error = null;
            run.ProgressMessage = "started";

            // Work asked for from now on may see newer data than this run read: it gets a run of its own.
            run.ActiveKey = null;
            await db.SaveChangesAsync(hostToken);
            changes.Publish(JobTopics.RunChanged, JobRunView.Of(run));
            return (run, cancellation);
        }
        catch
        {
            Forget(runId);
            throw;
        }
    }

    private void Forget(Guid runId)
    {
        if (_running.TryRemove(runId, out var cancellation))
        {
            cancellation.Dispose();
        }
    }

    /// <summary>Stores progress (0..1) and a message, and throws if a cancellation was requested (here or on another instance).</summary>
    public async Task ReportAsync(Guid runId, double progress, string message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        progress = Math.Clamp(progress, 0, 1);
        message = message.Length > 500 ? message[..500] : message;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.JobRuns.Where(r => r.Id == runId && r.State == JobRunState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Progress, progress).SetProperty(r => r.ProgressMessage, message), cancellationToken);
        var run = await db.JobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is not null)
        {
            changes.Publish(JobTopics.RunChanged, JobRunView.Of(run));
            if (run.CancelRequested)
            {
                throw new OperationCanceledException($"cancelled by {run.CancelRequestedBy}");
            }
        }
    }

    /// <summary>Ends a run: succeeded (with its result), failed (with why), cancelled; or back to queued for a retry.</summary>
    public async Task EndAsync(Guid runId, JobRunState state, string? message, object? result, CancellationToken cancellationToken)
    {
        Forget(runId);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        run.State = state;
        run.ActiveKey = null;
        if (state == JobRunState.Queued)
        {
            run.Error = message;
            run.ProgressMessage = "waiting to retry";
        }
        else
        {
            run.FinishedAt = now;
            run.Progress = state == JobRunState.Succeeded ? 1 : run.Progress;
            run.ProgressMessage = state switch
            {
                JobRunState.Succeeded => message ?? "done",
                JobRunState.Cancelled => message ?? "cancelled",
                _ => "failed",
            };
            run.Error = state == JobRunState.Failed ? message : null;
            run.ResultJson = result is null ? null : JsonSerializer.Serialize(result, JsonSerializerOptions.Web);
            db.AuditEvents.Add(AuditEvent.Record(now, $"job:{run.Kind}", $"job.{state.ToString().ToLowerInvariant()}", "job-run", run.Id.ToString(),
                JsonSerializer.Serialize(new { run.Attempts, error = run.Error, message })));
        }

        await db.SaveChangesAsync(cancellationToken);
        changes.Publish(JobTopics.RunChanged, JobRunView.Of(run));
    }

    /// <summary>
    /// Asks a run to stop: a queued run ends at once, a running one at its next progress report (at once on this
    /// instance). Returns false when the run already ended.
    /// </summary>
    public async Task<bool> RequestCancelAsync(Guid runId, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.State is not (JobRunState.Queued or JobRunState.Running))
        {
            return false;
        }

        run.CancelRequested = true;
        run.CancelRequestedBy = actor;
        db.AuditEvents.Add(AuditEvent.Record(clock.GetUtcNow(), actor, "job.cancel-requested", "job-run", run.Id.ToString()));
        await db.SaveChangesAsync(cancellationToken);
        if (run.State == JobRunState.Queued)
        {
            await EndAsync(runId, JobRunState.Cancelled, $"cancelled by {actor} before it started", null, cancellationToken);
        }
        else if (_running.TryGetValue(runId, out var cancellation))
        {
            try
            {
                await cancellation.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // It ended in the meantime.
            }
        }

        return true;
    }

    public async Task<JobRunView?> FindAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        return run is null ? null : JobRunView.Of(run);
    }

    /// <summary>The newest runs first, optionally of one kind.</summary>
    public async Task<(IReadOnlyList<JobRunView> Rows, int Total)> PageAsync(string? kind, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.JobRuns.AsNoTracking().Where(r => kind == null || r.Kind == kind);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.CreatedAt).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return ([.. rows.Select(JobRunView.Of)], total);
    }

    /// <summary>The latest run of a kind, or null.</summary>
    public async Task<JobRunView?> LatestAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().Where(r => r.Kind == kind).OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : JobRunView.Of(run);
    }

    /// <summary>
    /// At start-up of the only process on this database (the embedded default): the runs the last process left unfinished.
    /// Those it was executing are shown as queued again; their Hangfire jobs are fetched again and finish them.
    /// </summary>
    public async Task<IReadOnlyList<JobRun>> InterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = await db.JobRuns.Where(r => r.State == JobRunState.Queued || r.State == JobRunState.Running).ToListAsync(cancellationToken);
        foreach (var run in runs.Where(r => r.State == JobRunState.Running))
        {
            run.State = JobRunState.Queued;
            run.ProgressMessage = "interrupted by a restart; queued again";
        }

        await db.SaveChangesAsync(cancellationToken);
        if (runs.Count > 0)
        {
            logger.LogInformation("{Count} job runs were left unfinished by the last process", runs.Count);
        }

        return runs;
    }

    /// <summary>
    /// The run one execution of a recurring job does: the run already made for this Hangfire job (its execution is
    /// repeated after a crash), else a new one, or none when the same work is already waiting as a run of its own.
    /// </summary>
    public async Task<JobRunView?> ForScheduledExecutionAsync(string kind, string hangfireJobId, CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var earlier = await db.JobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Kind == kind && r.HangfireJobId == hangfireJobId, cancellationToken);
            if (earlier is not null)
            {
                return JobRunView.Of(earlier);
            }
        }

        var (run, created) = await CreateAsync(kind, JobScheduler.WorkKeyOf(kind), "schedule", cancellationToken);
        if (!created)
        {
            return null;
        }

        await SetHangfireJobIdAsync(run.Id, hangfireJobId, cancellationToken);
        return run with { HangfireJobId = hangfireJobId };
    }

    private async Task<JobRunView?> FindQueuedAsync(string kind, string workKey, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Kind == kind && r.ActiveKey == workKey, cancellationToken);
        return run is null ? null : JobRunView.Of(run);
    }
}
