using Hangfire;
using Hangfire.Server;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;

namespace SupportConsole.Training;

/// <summary>Retrains the router from the shipped data and agents' labels, shadow-evaluates the candidate and promotes it only if it does not regress.</summary>
public sealed class RouterRetrainJob(JobRunner runner, JobRunStore runs, RouterRetrainer retrainer) : ITrackedJob
{
    /// <summary>The id of its schedule in Hangfire.</summary>
    public const string RecurringId = "router-retrain-weekly";

    [AutomaticRetry(Attempts = JobRunner.Retries, DelaysInSeconds = [30, 120, 600])]
    // One retraining at a time across instances: a second run waits a few seconds for the lock, then is retried later.
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [JobDisplayName("Retrain the router (run {0})")]
    public Task RunAsync(Guid runId, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(runId, cancellationToken, async (run, progress, token) =>
        {
            var outcome = await retrainer.RetrainAsync(run.TriggeredBy, run.Id, progress, token);
            var message = outcome.Status switch
            {
                RetrainOutcome.Promoted => $"{outcome.CandidateVersion} promoted over {outcome.CurrentVersion}",
                RetrainOutcome.Rejected => $"{outcome.CandidateVersion} rejected: it regressed against {outcome.CurrentVersion}",
                _ => $"skipped: nothing new to learn since {outcome.CurrentVersion}",
            };
            return new JobResult(message, new
            {
                outcome.Status,
                outcome.CandidateVersion,
                outcome.CurrentVersion,
                outcome.TrainingRows,
                outcome.FeedbackRows,
                reasons = outcome.Shadow?.Reasons,
            });
        });

    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    [JobDisplayName("Retrain the router (weekly)")]
    public async Task RunScheduledAsync(PerformContext context, CancellationToken cancellationToken)
    {
        if (await runs.ForScheduledExecutionAsync(JobKinds.RouterRetrain, context.BackgroundJob.Id, cancellationToken) is { } run)
        {
            await RunAsync(run.Id, cancellationToken);
        }
    }
}
