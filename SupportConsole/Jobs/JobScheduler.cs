using Hangfire;
using SupportConsole.Data.Entities;

namespace SupportConsole.Jobs;

/// <summary>
/// Asks for background work: a run row first (asking twice while it is queued gives the same run), then the
/// Hangfire job that executes it. Pages, the knowledge-base editor and start-up go through here.
/// </summary>
public sealed class JobScheduler(JobRunStore runs, IBackgroundJobClient hangfire, IEnumerable<JobKindRegistration> kinds)
{
    private readonly Dictionary<string, JobKindRegistration> _kinds = kinds.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>Every run of a kind does the whole job on the data as it is when it starts, so one key per kind suffices.</summary>
    public static string WorkKeyOf(string kind) => kind;

    public async Task<JobRunView> EnqueueAsync(string kind, string triggeredBy, CancellationToken cancellationToken = default)
    {
        var (run, created) = await runs.CreateAsync(kind, WorkKeyOf(kind), triggeredBy, cancellationToken);
        if (created)
        {
            var hangfireId = Enqueue(kind, run.Id);
            await runs.SetHangfireJobIdAsync(run.Id, hangfireId, cancellationToken);
            run = run with { HangfireJobId = hangfireId };
        }

        return run;
    }

    /// <summary>Hands an existing queued run to Hangfire again (start-up catch-up after in-memory storage lost it).</summary>
    public async Task RequeueAsync(JobRun run, CancellationToken cancellationToken)
    {
        var hangfireId = Enqueue(run.Kind, run.Id);
        await runs.SetHangfireJobIdAsync(run.Id, hangfireId, cancellationToken);
    }

    /// <summary>Asks a run to stop; a queued run's Hangfire job is deleted too.</summary>
    public async Task<bool> CancelAsync(Guid runId, string actor, CancellationToken cancellationToken = default)
    {
        var run = await runs.FindAsync(runId, cancellationToken);
        var cancelled = await runs.RequestCancelAsync(runId, actor, cancellationToken);
        if (cancelled && run is { State: JobRunState.Queued, HangfireJobId: { } hangfireId })
        {
            hangfire.Delete(hangfireId);
        }

        return cancelled;
    }

    private string Enqueue(string kind, Guid runId) => _kinds.TryGetValue(kind, out var registration)
        ? registration.Enqueue(hangfire, runId)
        : throw new ArgumentException($"unknown job kind '{kind}'", nameof(kind));
}
