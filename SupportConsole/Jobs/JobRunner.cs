using SupportConsole.Data.Entities;

namespace SupportConsole.Jobs;

/// <summary>How far a job is; reporting also notices a cancellation request (it throws <see cref="OperationCanceledException"/>).</summary>
public interface IJobProgress
{
    Task ReportAsync(double fraction, string message);
}

/// <summary>What a finished job says about itself: a sentence for people and a value kept as JSON with the run.</summary>
public sealed record JobResult(string Message, object? Value = null);

/// <summary>
/// The life of one job run around its work: started once (a repeated execution of an ended run does nothing),
/// progress stored and published, cancellation honoured, the outcome stored. A failure is stored and rethrown so
/// Hangfire retries it with back-off; a shutdown leaves the run queued to be picked up again.
/// </summary>
public sealed class JobRunner(JobRunStore runs, ILogger<JobRunner> logger)
{
    /// <summary>Hangfire retries of a failed run (so a run is attempted at most <see cref="Retries"/> + 1 times).</summary>
    public const int Retries = 3;

    /// <summary>Back-off between the attempts, in seconds.</summary>
    public static readonly int[] RetryDelaysSeconds = [30, 120, 600];

    public async Task ExecuteAsync(Guid runId, CancellationToken hostToken, Func<JobRun, IJobProgress, CancellationToken, Task<JobResult>> work)
    {
        var started = await runs.StartAsync(runId, hostToken);
        if (started is not { } s)
        {
            logger.LogInformation("Job run {RunId} already ended or was cancelled; nothing to do", runId);
            return;
        }

        var (run, cancellation) = s;
        var token = cancellation.Token;
        try
        {
            var result = await work(run, new Progress(runs, runId, token), token);
            await runs.EndAsync(runId, JobRunState.Succeeded, result.Message, result.Value, CancellationToken.None);
            logger.LogInformation("Job run {RunId} ({Kind}) succeeded: {Message}", runId, run.Kind, result.Message);
        }
        catch (OperationCanceledException) when (hostToken.IsCancellationRequested)
        {
            await runs.EndAsync(runId, JobRunState.Queued, "interrupted by a shutdown", null, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException e)
        {
            // Asked for by a person: not a failure, and not retried.
            await runs.EndAsync(runId, JobRunState.Cancelled, e.Message.StartsWith("cancelled", StringComparison.Ordinal) ? e.Message : "cancelled", null,
                CancellationToken.None);
            logger.LogInformation("Job run {RunId} ({Kind}) was cancelled", runId, run.Kind);
        }
        catch (Exception e)
        {
            var final = run.Attempts > Retries;
            await runs.EndAsync(runId, final ? JobRunState.Failed : JobRunState.Queued, $"{e.GetType().Name}: {e.Message}", null, CancellationToken.None);
            logger.LogError(e, "Job run {RunId} ({Kind}) attempt {Attempt} failed{Final}", runId, run.Kind, run.Attempts, final ? "; giving up" : "; it will be retried");
            throw;
        }
    }

    private sealed class Progress(JobRunStore runs, Guid runId, CancellationToken token) : IJobProgress
    {
        public Task ReportAsync(double fraction, string message) => runs.ReportAsync(runId, fraction, message, token);
    }
}
