using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Administration;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Delivery;
using SupportConsole.Engine.Evaluation;
using SupportConsole.Jobs;

namespace SupportConsole.Evaluation;

/// <summary>
/// Runs the golden set and keeps the run; when the bad-answer rate passes its budget or groundedness falls under the
/// floor, raises an alert (banner, webhook through the outbox) and, if an admin enabled it, engages the kill switch
/// with the run as its reason.
/// </summary>
public sealed class EvaluationRecorder(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    GoldenSetEvaluator evaluator,
    KillSwitch killSwitch,
    ChangeFeed changes,
    OutboxSignal outbox,
    IOptions<EvaluationOptions> options,
    TimeProvider clock,
    ILogger<EvaluationRecorder> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<EvaluationRun> RunAsync(string trigger, Guid? jobRunId, IJobProgress? progress, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        if (progress is not null)
        {
            await progress.ReportAsync(0.02, "loading the golden set");
        }

        var (report, context) = await evaluator.EvaluateAsync(null, progress, cancellationToken);
        var run = ToRow(report, context, trigger, jobRunId, started, clock.GetUtcNow());

        var problems = new List<string>();
        if (report.BadAnswerRate > options.Value.BadAnswerBudget)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"bad-answer rate {report.BadAnswerRate:P1} ({report.BadAutoReplies} of {report.AutoReplies} auto replies) is over the budget {options.Value.BadAnswerBudget:P1}"));
        }

        if (report.MeanGroundedness is { } groundedness && groundedness < context.GroundednessFloor)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"mean groundedness {groundedness:0.000} is under the floor {context.GroundednessFloor:0.000}"));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (problems.Count > 0)
        {
            run.AlertRaised = true;
            run.AlertReason = string.Join("; ", problems);
            db.OutboxMessages.Add(OutboxMessage.Alert(OutboxKinds.EvaluationAlert, new
            {
                kind = OutboxKinds.EvaluationAlert,
                evaluationRunId = run.Id,
                reason = run.AlertReason,
                routerVersion = run.RouterVersion,
                badAnswerRate = run.BadAnswerRate,
                meanGroundedness = run.MeanGroundedness,
                finishedAt = run.FinishedAt,
            }, run.FinishedAt));
            var autoKill = await db.Settings.AsNoTracking().AnyAsync(s => s.Key == SettingKeys.AutoKillSwitchOnFailedEvaluation && s.Value == "on", cancellationToken);
            run.EngagedKillSwitch = autoKill && !(await killSwitch.CurrentAsync(cancellationToken)).Engaged;
        }

        db.EvaluationRuns.Add(run);
        db.AuditEvents.Add(AuditEvent.Record(run.FinishedAt, $"job:{JobKinds.GoldenEvaluation}", "evaluation.completed", "evaluation-run", run.Id.ToString(),
            JsonSerializer.Serialize(new { run.RouterAccuracy, run.AutoResolvedShare, run.BadAnswerRate, run.MeanGroundedness, run.AlertRaised, run.AlertReason }, Json)));
        await db.SaveChangesAsync(cancellationToken);

        if (run.AlertRaised)
        {
            logger.LogWarning("Golden-set evaluation {RunId} raised an alert: {Reason}", run.Id, run.AlertReason);
            outbox.Notify();
            if (run.EngagedKillSwitch)
            {
                await killSwitch.SetAsync(true, Identity.ConsoleActor.System($"job:{JobKinds.GoldenEvaluation}"), $"evaluation run {run.Id}: {run.AlertReason}", CancellationToken.None);
            }
        }

        changes.Publish(EvaluationTopics.Completed, run);
        return run;
    }

    public static EvaluationRun ToRow(GoldenSetReport report, GoldenSetContext context, string trigger, Guid? jobRunId, DateTimeOffset started,
        DateTimeOffset finished) => new()
    {
        Id = Guid.CreateVersion7(finished),
        JobRunId = jobRunId,
        Trigger = trigger,
        StartedAt = started,
        FinishedAt = finished,
        RouterVersion = context.RouterVersion,
        KnowledgeIndexVersion = context.KnowledgeIndexVersion,
        PolicyVersion = context.PolicyVersion,
        TargetPrecision = context.TargetPrecision,
        Tickets = report.Tickets,
        RouterAccuracy = report.RouterAccuracy,
        MacroF1 = report.MacroF1,
        CertifiedShare = report.CertifiedShare,
        CertifiedPrecision = report.CertifiedPrecision,
        ExpectedAuto = report.ExpectedAuto,
        AutoReplies = report.AutoReplies,
        BadAutoReplies = report.BadAutoReplies,
        AutoResolvedShare = report.AutoResolvedShare,
        BadAnswerRate = report.BadAnswerRate,
        MeanGroundedness = report.MeanGroundedness,
        MinGroundedness = report.MinGroundedness,
        RetrievalRecallAt3 = report.RetrievalRecallAt3,
        LatencyP50Milliseconds = report.Latency.P50,
        LatencyP95Milliseconds = report.Latency.P95,
        StageLatencyJson = JsonSerializer.Serialize(report.StageLatency, Json),
        PerIntentJson = JsonSerializer.Serialize(report.PerIntent, Json),
        PredictionsJson = JsonSerializer.Serialize(report.Predictions, Json),
    };
}

/// <summary>Finished evaluations on the <see cref="ChangeFeed"/>: the evaluations page and the alert banner update live.</summary>
public static class EvaluationTopics
{
    /// <summary>The other instances get the run's id and read the run from the database (<see cref="EvaluationFollower"/>).</summary>
    public static readonly ChangeTopic<EvaluationRun> Completed = new("evaluation", run => run.Id.ToString());
}

/// <summary>An evaluation another instance finished: read back from the database and told to this instance's pages.</summary>
internal sealed class EvaluationFollower(ChangeFeed changes, IDbContextFactory<SupportConsoleDbContext> contexts) : IChangeFollower
{
    public string Topic => EvaluationTopics.Completed.Name;

    public async Task FollowAsync(string payload, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(payload, out var id))
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.EvaluationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } run)
        {
            changes.Raise(EvaluationTopics.Completed, run);
        }
    }
}
