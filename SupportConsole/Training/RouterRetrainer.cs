using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Evaluation;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Cascade;
using SupportConsole.Engine.Routing.Training;
using SupportConsole.Evaluation;
using SupportConsole.Jobs;
using SupportConsole.Routing;

namespace SupportConsole.Training;

/// <summary>What a retraining run did.</summary>
public sealed record RetrainOutcome(string Status, string? CandidateVersion, string CurrentVersion, int TrainingRows, int FeedbackRows, ShadowReport? Shadow)
{
    public const string Promoted = "promoted";
    public const string Rejected = "rejected";
    public const string Skipped = "skipped";
}

/// <summary>
/// Retrains the router from the shipped training data plus what agents taught it (intent corrections, second-opinion
/// corrections, approved template drafts), shadow-evaluates the candidate against the active model on the golden set
/// and on recent tickets, and promotes it only when it does not regress beyond the configured tolerance; otherwise
/// the candidate is kept, rejected, with the reason.
/// </summary>
public sealed class RouterRetrainer(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    RouterRegistry routers,
    EncoderProvider encoders,
    ShippedRouterBuilder shipped,
    GoldenSetEvaluator evaluator,
    IOptions<RetrainingOptions> options,
    IOptions<DatabaseOptions> database,
    ILogger<RouterRetrainer> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RetrainOutcome> RetrainAsync(string trigger, Guid? jobRunId, IJobProgress? progress, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await ReportAsync(progress, 0.02, "collecting training data");
        var baseRows = LabelledTicketCsv.Read(AppPaths.Bundled(settings.BaseTrainingData), requireCategory: true);
        var feedback = await FeedbackAsync(cancellationToken);
        var examples = baseRows.Concat(feedback).ToList();
        var current = routers.Active;
        var dataHash = RouterTrainer.DataHash(examples);
        if (settings.SkipWhenUnchanged && trigger == "schedule" && dataHash == current.Card.Training.DataSha256)
        {
            return new RetrainOutcome(RetrainOutcome.Skipped, null, current.Card.VersionId, examples.Count, feedback.Count, null);
        }

        await ReportAsync(progress, 0.05, $"training on {examples.Count} tickets ({feedback.Count} from agents)");
        using var training = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stageOne = new RouterTrainingSettings
        {
            Folds = settings.Folds,
            Seed = settings.Seed,
            Network = new HiddenLayerSettings { Hidden = settings.HiddenUnits, MaxEpochs = settings.MaxEpochs },
            Certification = new CertificationSettings { MinIntentSamples = settings.MinIntentSamples },
        };
        var progressOfTraining = new TrainerProgress(progress, training);
        var dataSource = $"{settings.BaseTrainingData} + {feedback.Count} agent labels";
        var staging = Path.Combine(database.Value.ResolveDataDirectory(), "models", "staging", Guid.NewGuid().ToString("N"));
        if (current.Card.Cascade is null)
        {
            var trained = await Task.Run(() => new RouterTrainer(stageOne, progressOfTraining).Train(examples, dataSource, training.Token), training.Token);
            trained.WriteTo(staging);
        }
        else
        {
            // A cascade is retrained as a cascade; texts embedded before (the shipped data, earlier labels) come from the cache.
            var encoder = encoders.Encoder;
            var cache = EmbeddingCache.Open(Path.Combine(shipped.CacheDirectory, "embeddings"), encoder.VersionId, encoder.Dimensions);
            var trained = await Task.Run(() => new CascadeTrainer(new CascadeTrainingSettings { StageOne = stageOne }, progressOfTraining)
                .Train(examples, dataSource, encoder, cache, training.Token), training.Token);
            trained.WriteTo(staging);
        }

        RouterModelVersion row;
        try
        {
            row = await routers.RegisterAsync(staging, RouterRegistry.RetrainedOrigin, RouterModelState.Candidate, jobRunId, cancellationToken);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        if (row.VersionId == current.Card.VersionId)
        {
            return new RetrainOutcome(RetrainOutcome.Skipped, row.VersionId, current.Card.VersionId, examples.Count, feedback.Count, null);
        }

        await ReportAsync(progress, 0.7, $"shadow evaluation of {row.VersionId} against {current.Card.VersionId}");
        var candidate = await routers.LoadAsync(row.VersionId, cancellationToken);
        var (currentReport, _) = await evaluator.EvaluateAsync(current, null, cancellationToken);
        await ReportAsync(progress, 0.8, "golden set: current model done; candidate next");
        var (candidateReport, _) = await evaluator.EvaluateAsync(candidate, null, cancellationToken);
        await ReportAsync(progress, 0.9, "comparing on recent tickets");
        var recent = await CompareOnRecentAsync(current, candidate, settings.ShadowTickets, cancellationToken);
        var report = ShadowComparison.Compare(current.Card.VersionId, currentReport, row.VersionId, candidateReport, recent,
            new ShadowTolerance(settings.MaxAccuracyDrop, settings.MaxBadAnswerRateIncrease, settings.MaxCorrectAutoShareDrop));
        var reportJson = JsonSerializer.Serialize(report, Json);
        if (report.Promote)
        {
            var reason = $"retrained and shadow-evaluated: {string.Join("; ", report.Reasons)}";
            await routers.RecordDecisionAsync(row.VersionId, reason, reportJson, cancellationToken);
            await routers.ActivateAsync(row.VersionId, $"job:{JobKinds.RouterRetrain}", reason, cancellationToken);
            logger.LogInformation("Router {Candidate} promoted over {Current}", row.VersionId, current.Card.VersionId);
            return new RetrainOutcome(RetrainOutcome.Promoted, row.VersionId, current.Card.VersionId, examples.Count, feedback.Count, report);
        }

        var why = $"not promoted: {string.Join("; ", report.Reasons.Where(r => r.Contains("worse", StringComparison.Ordinal)))}";
        await routers.RejectAsync(row.VersionId, why, reportJson, cancellationToken);
        logger.LogWarning("Router candidate {Candidate} rejected: {Reason}", row.VersionId, why);
        return new RetrainOutcome(RetrainOutcome.Rejected, row.VersionId, current.Card.VersionId, examples.Count, feedback.Count, report);
    }

    /// <summary>
    /// Labels agents gave: a corrected intent (ticket page, second opinion) or an imported historical label wins;
    /// otherwise a template draft an agent sent confirms the router's intent. Rejected drafts teach nothing.
    /// </summary>
    public async Task<IReadOnlyList<LabelledText>> FeedbackAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var corrected = await db.Tickets.AsNoTracking().Where(t => t.LabelledIntent != null)
            .OrderBy(t => t.Id).Select(t => new { t.Subject, t.Body, Intent = t.LabelledIntent! }).ToListAsync(cancellationToken);

        // A follow-up's label belongs to the follow-up's own text (routed with the ticket's subject, as the engine read it).
        var followUps = await db.TicketMessages.AsNoTracking().Where(m => m.LabelledIntent != null)
            .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => new { m.Id, t.Subject, m.Body, Intent = m.LabelledIntent! })
            .OrderBy(m => m.Id).Select(m => new { m.Subject, m.Body, m.Intent }).ToListAsync(cancellationToken);
        var approved = await db.Tickets.AsNoTracking()
            .Where(t => t.LabelledIntent == null && t.Status == TicketStatus.Answered && t.Draft != null && t.Draft.SentText != null
                        && t.Draft.Origin == DraftOrigin.Template && t.Decision != null && !t.Decision.FollowUp)
            .OrderBy(t => t.Id).Select(t => new { t.Subject, t.Body, Intent = t.Decision!.Intent }).ToListAsync(cancellationToken);
        return [.. corrected.Concat(followUps).Concat(approved)
            .Select(t => new LabelledText(string.IsNullOrWhiteSpace(t.Subject) ? t.Body : $"{t.Subject}\n{t.Body}", t.Intent))];
    }

    private async Task<RecentTrafficComparison> CompareOnRecentAsync(IIntentRouter current, IIntentRouter candidate, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return RecentTrafficComparison.None;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.Decision != null)
            .OrderByDescending(t => t.DecidedAt).Take(count)
            .Select(t => new
            {
                Text = string.IsNullOrEmpty(t.Subject) ? t.Body : t.Subject + "\n" + t.Body,
                Label = t.LabelledIntent ?? (t.Status == TicketStatus.Answered && t.Draft != null && t.Draft.SentText != null && t.Draft.Origin == DraftOrigin.Template
                                             && !t.Decision!.FollowUp
                    ? t.Decision!.Intent
                    : null),
            })
            .ToListAsync(cancellationToken);
        if (tickets.Count == 0)
        {
            return RecentTrafficComparison.None;
        }

        var texts = tickets.Select(t => t.Text).ToList();
        var before = current.Route(texts);
        var after = candidate.Route(texts);
        var labelled = Enumerable.Range(0, tickets.Count).Where(i => tickets[i].Label is not null).ToList();
        return new RecentTrafficComparison(
            tickets.Count,
            Enumerable.Range(0, tickets.Count).Count(i => before[i].Intent == after[i].Intent) / (double)tickets.Count,
            labelled.Count,
            labelled.Count == 0 ? null : labelled.Count(i => before[i].Intent == tickets[i].Label) / (double)labelled.Count,
            labelled.Count == 0 ? null : labelled.Count(i => after[i].Intent == tickets[i].Label) / (double)labelled.Count);
    }

    private static Task ReportAsync(IJobProgress? progress, double fraction, string message) =>
        progress?.ReportAsync(fraction, message) ?? Task.CompletedTask;

    /// <summary>The trainer's messages as job progress between 5 % and 65 %; a report that sees a cancellation request stops the training.</summary>
    private sealed class TrainerProgress(IJobProgress? progress, CancellationTokenSource training) : IProgress<string>
    {
        private int _messages;

        public void Report(string value)
        {
            if (progress is null)
            {
                return;
            }

            var fraction = Math.Min(0.65, 0.05 + (0.02 * Interlocked.Increment(ref _messages)));
            // The trainer reports from its worker threads and does not wait; a cancellation seen by the report stops it.
            _ = progress.ReportAsync(fraction, value).ContinueWith(
                t =>
                {
                    if (t.Exception?.InnerException is OperationCanceledException)
                    {
                        training.Cancel();
                    }
                },
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
