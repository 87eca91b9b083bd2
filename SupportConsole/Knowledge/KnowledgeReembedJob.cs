using Hangfire;
using Hangfire.Server;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;

namespace SupportConsole.Knowledge;

/// <summary>Re-embeds the help center into a new index version beside the live one and swaps it in (after an edit, and nightly).</summary>
public sealed class KnowledgeReembedJob(JobRunner runner, JobRunStore runs, KnowledgeIndexProvider index) : ITrackedJob
{
    /// <summary>The id of its schedule in Hangfire.</summary>
    public const string RecurringId = "kb-reembed-nightly";

    [AutomaticRetry(Attempts = JobRunner.Retries, DelaysInSeconds = [30, 120, 600])]
    [JobDisplayName("Re-embed the knowledge base (run {0})")]
    public Task RunAsync(Guid runId, CancellationToken cancellationToken) =>
        runner.ExecuteAsync(runId, cancellationToken, async (run, progress, token) =>
        {
            var state = await index.RebuildAsync(progress, $"job:{JobKinds.KnowledgeReembed}", run.Id, token);
            return new JobResult($"index {state.Version} is live: {state.Articles} articles, {state.Chunks} chunks in {state.DurationMilliseconds:0} ms",
                new { indexVersion = state.Version, state.Articles, state.Chunks, state.DurationMilliseconds });
        });

    [JobDisplayName("Re-embed the knowledge base (nightly)")]
    public async Task RunScheduledAsync(PerformContext context, CancellationToken cancellationToken)
    {
        if (await runs.ForScheduledExecutionAsync(JobKinds.KnowledgeReembed, context.BackgroundJob.Id, cancellationToken) is { } run)
        {
            await RunAsync(run.Id, cancellationToken);
        }
    }
}
