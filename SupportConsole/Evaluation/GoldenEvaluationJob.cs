using Hangfire;
using Hangfire.Server;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;

namespace SupportConsole.Evaluation;

/// <summary>Replays the golden set without side effects and keeps the run's metrics (nightly and on demand).</summary>
public sealed class GoldenEvaluationJob(JobRunner runner, JobRunStore runs, EvaluationRecorder recorder) : ITrackedJob
{
    /// <summary>The id of its schedule in Hangfire.</summary>
    public const string RecurringId = "golden-evaluation-nightly";

    [AutomaticRetry(Attempts = JobRunner.Retries, DelaysInSeconds = [30, 120, 600])]
    [JobDisplayName("Golden-set evaluation (run {0})")]
    public Task RunAsync(Guid runId, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(runId, cancellationToken, async (run, progress, token) =>
        {
            var evaluation = await recorder.RunAsync(run.TriggeredBy, run.Id, progress, token);
            var summary = $"accuracy {evaluation.RouterAccuracy:P1}, auto {evaluation.AutoResolvedShare:P1}, bad answers {evaluation.BadAnswerRate:P1}"
                + (evaluation.AlertRaised ? $"; ALERT: {evaluation.AlertReason}" : string.Empty);
            return new JobResult(summary, new { evaluationRunId = evaluation.Id, evaluation.AlertRaised });
        });

    [JobDisplayName("Golden-set evaluation (nightly)")]
    public async Task RunScheduledAsync(PerformContext context, CancellationToken cancellationToken)
    {
        if (await runs.ForScheduledExecutionAsync(JobKinds.GoldenEvaluation, context.BackgroundJob.Id, cancellationToken) is { } run)
        {
            await RunAsync(run.Id, cancellationToken);
        }
    }
}
