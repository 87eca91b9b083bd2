using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Evaluation;

namespace SupportConsole.Evaluation;

/// <summary>A stored evaluation run without its per-ticket detail, as lists and charts show it.</summary>
public sealed record EvaluationSummary(
    Guid Id,
    string Trigger,
    DateTimeOffset FinishedAt,
    string RouterVersion,
    string KnowledgeIndexVersion,
    long PolicyVersion,
    int Tickets,
    double RouterAccuracy,
    double MacroF1,
    double CertifiedShare,
    double? CertifiedPrecision,
    double AutoResolvedShare,
    double BadAnswerRate,
    int AutoReplies,
    int BadAutoReplies,
    double? MeanGroundedness,
    double? MinGroundedness,
    double RetrievalRecallAt3,
    double LatencyP50Milliseconds,
    double LatencyP95Milliseconds,
    bool AlertRaised,
    string? AlertReason,
    bool EngagedKillSwitch);

/// <summary>Reads evaluation runs for the Evaluations page, the alert banner and the Bands what-if.</summary>
public sealed class EvaluationQueries(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The newest runs first (shadow evaluations of candidates are not stored as runs).</summary>
    public async Task<(IReadOnlyList<EvaluationSummary> Rows, int Total)> PageAsync(int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var total = await db.EvaluationRuns.CountAsync(cancellationToken);
        var rows = await Summaries(db.EvaluationRuns.AsNoTracking().OrderByDescending(r => r.FinishedAt).Skip(page * pageSize).Take(pageSize))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }

    /// <summary>The last <paramref name="count"/> runs, oldest first, for the chart.</summary>
    public async Task<IReadOnlyList<EvaluationSummary>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await Summaries(db.EvaluationRuns.AsNoTracking().OrderByDescending(r => r.FinishedAt).Take(count)).ToListAsync(cancellationToken);
        rows.Reverse();
        return rows;
    }

    public async Task<EvaluationSummary?> LatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Summaries(db.EvaluationRuns.AsNoTracking().OrderByDescending(r => r.FinishedAt)).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<EvaluationSummary?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Summaries(db.EvaluationRuns.AsNoTracking().Where(r => r.Id == id)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Per-intent figures of a run.</summary>
    public async Task<IReadOnlyList<GoldenIntentScore>> PerIntentAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var json = await db.EvaluationRuns.AsNoTracking().Where(r => r.Id == id).Select(r => r.PerIntentJson).FirstOrDefaultAsync(cancellationToken);
        return json is null ? [] : JsonSerializer.Deserialize<List<GoldenIntentScore>>(json, Json) ?? [];
    }

    /// <summary>Per-intent figures of the newest run made with <paramref name="routerVersion"/>, or none.</summary>
    public async Task<(EvaluationSummary Run, IReadOnlyList<GoldenIntentScore> Intents)?> LatestPerIntentAsync(string routerVersion,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await Summaries(db.EvaluationRuns.AsNoTracking().Where(r => r.RouterVersion == routerVersion).OrderByDescending(r => r.FinishedAt))
            .FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : (run, await PerIntentAsync(run.Id, cancellationToken));
    }

    private static IQueryable<EvaluationSummary> Summaries(IQueryable<EvaluationRun> runs) => runs.Select(r => new EvaluationSummary(
        r.Id, r.Trigger, r.FinishedAt, r.RouterVersion, r.KnowledgeIndexVersion, r.PolicyVersion, r.Tickets, r.RouterAccuracy, r.MacroF1,
        r.CertifiedShare, r.CertifiedPrecision, r.AutoResolvedShare, r.BadAnswerRate, r.AutoReplies, r.BadAutoReplies, r.MeanGroundedness,
        r.MinGroundedness, r.RetrievalRecallAt3, r.LatencyP50Milliseconds, r.LatencyP95Milliseconds, r.AlertRaised, r.AlertReason, r.EngagedKillSwitch));
}
