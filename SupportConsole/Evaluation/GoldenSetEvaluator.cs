using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Evaluation;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Engine.Routing;
using SupportConsole.Ingest;
using SupportConsole.Jobs;
using SupportConsole.Knowledge;
using SupportConsole.Routing;

namespace SupportConsole.Evaluation;

/// <summary>The versions a golden-set replay ran with.</summary>
public sealed record GoldenSetContext(string RouterVersion, string KnowledgeIndexVersion, long PolicyVersion, double TargetPrecision, double GroundednessFloor);

/// <summary>
/// Replays the golden set through the engine as it is configured now (policy, help-center index, customers' records,
/// the active router or a given candidate) without side effects: nothing is stored, sent or queued, and no cloud
/// model is asked (cloud drafts never auto-send, so the auto figures do not depend on it).
/// </summary>
public sealed class GoldenSetEvaluator(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    PolicyCache policies,
    RouterRegistry routers,
    KnowledgeIndexProvider knowledge,
    PriceTableProvider prices,
    IOptions<EvaluationOptions> options,
    IOptions<GateOptions> gate)
{
    private const string Channel = "golden";

    public IReadOnlyList<GoldenCase> LoadCases()
    {
        var path = AppPaths.Bundled(options.Value.GoldenSetPath);
        var rows = LabelledTicketCsv.Read(path, requireCategory: true);
        if (rows.Count == 0)
        {
            throw new DataFileException($"{path}: the golden set is empty");
        }

        return [.. rows.Select(r => new GoldenCase(r.Text, r.Category!, r.Column("expected_band"), r.Column("expected_article"), r.Column("customer_id")))];
    }

    /// <summary>Replays every golden ticket with <paramref name="router"/> (the active router when null).</summary>
    public async Task<(GoldenSetReport Report, GoldenSetContext Context)> EvaluateAsync(IIntentRouter? router, IJobProgress? progress,
        CancellationToken cancellationToken)
    {
        var cases = LoadCases();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (policy, activeVersion) = await policies.CurrentWithRouterAsync(cancellationToken);
        router ??= await routers.ResolveAsync(activeVersion, cancellationToken);
        var search = knowledge.Current;
        var customerIds = cases.Select(c => c.CustomerId).OfType<string>().Distinct().ToList();
        var customers = (await db.Customers.AsNoTracking().Include(c => c.Transactions).Where(c => customerIds.Contains(c.Id)).ToListAsync(cancellationToken))
            .ToDictionary(c => c.Id, CustomerRecordsCache.ToRecords);

        var pipeline = new TicketPipeline(() => router, () => search, new NoCloudDrafter(), prices.Current, gate.Value.Sources);
        var models = new PipelineModels(router, search);
        var outcomes = new List<GoldenOutcome>(cases.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var golden = cases[i];
            var start = Stopwatch.GetTimestamp();
            var request = new TicketRequest(Guid.CreateVersion7(), Channel, golden.CustomerId ?? "golden", null, golden.Text);
            var outcome = await pipeline.ProcessAsync(request, golden.CustomerId is null ? null : customers.GetValueOrDefault(golden.CustomerId), policy,
                CustomerLimits.None, models, cancellationToken);
            outcomes.Add(new GoldenOutcome(golden, outcome, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
            if (progress is not null && (i + 1) % 50 == 0)
            {
                await progress.ReportAsync(0.05 + (0.85 * (i + 1) / cases.Count), $"replayed {i + 1} of {cases.Count} golden tickets with {router.Card.VersionId}");
            }
        }

        return (GoldenSetScorer.Score(outcomes),
            new GoldenSetContext(router.Card.VersionId, search.IndexVersion ?? "none", policy.Version, policy.Gate.TargetPrecision, policy.Gate.GroundednessFloor));
    }
}
