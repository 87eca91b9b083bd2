using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Evaluation;

/// <summary>A golden-set ticket: its text and what the engine is expected to do with it.</summary>
public sealed record GoldenCase(string Text, string ExpectedIntent, string? ExpectedBand, string? ExpectedArticle, string? CustomerId);

/// <summary>What the engine did with one golden ticket, and how long it took end to end.</summary>
public sealed record GoldenOutcome(GoldenCase Case, PipelineOutcome Outcome, double LatencyMilliseconds);

/// <summary>One golden ticket's result, small enough to keep with the run.</summary>
public sealed record GoldenPrediction(
    string ExpectedIntent,
    string PredictedIntent,
    double Confidence,
    bool Certified,
    string Band,
    string? ExpectedBand,
    string? CitedArticle,
    string? ExpectedArticle,
    bool BadAnswer);

/// <summary>Per intent: how many golden tickets, how many predicted and certified, and how right the certified ones were.</summary>
public sealed record GoldenIntentScore(string Intent, int Tickets, int Predicted, int Certified, int CertifiedCorrect, double? Precision, double Coverage, double Accuracy);

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencyPercentiles(double P50, double P95);

/// <summary>Everything a golden-set run measures.</summary>
public sealed record GoldenSetReport
{
    public int Tickets { get; init; }

    public double RouterAccuracy { get; init; }

    public double MacroF1 { get; init; }

    public double CertifiedShare { get; init; }

    public double? CertifiedPrecision { get; init; }

    public int ExpectedAuto { get; init; }

    public int AutoReplies { get; init; }

    public int BadAutoReplies { get; init; }

    /// <summary>Share of the tickets expected to be auto-resolved that were.</summary>
    public double AutoResolvedShare { get; init; }

    /// <summary>Auto replies with the wrong intent or citing the wrong article, over all auto replies (0 when there are none).</summary>
    public double BadAnswerRate { get; init; }

    public double? MeanGroundedness { get; init; }

    public double? MinGroundedness { get; init; }

    /// <summary>Share of tickets with an expected article whose article is among the distinct articles of the top 3 sources.</summary>
    public double RetrievalRecallAt3 { get; init; }

    public required LatencyPercentiles Latency { get; init; }

    public required IReadOnlyDictionary<string, LatencyPercentiles> StageLatency { get; init; }

    public required IReadOnlyList<GoldenIntentScore> PerIntent { get; init; }

    public required IReadOnlyList<GoldenPrediction> Predictions { get; init; }
}

/// <summary>Scores the engine's outcomes on a golden set; the same rules for the nightly run, the CLI and shadow comparisons.</summary>
public static class GoldenSetScorer
{
    public static GoldenSetReport Score(IReadOnlyList<GoldenOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            throw new ArgumentException("the golden set is empty", nameof(outcomes));
        }

        var predictions = outcomes.Select(ToPrediction).ToList();
        var labels = outcomes.Select(o => o.Case.ExpectedIntent).Concat(outcomes.Select(o => o.Outcome.Route.Intent))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var truth = predictions.Select(p => index[p.ExpectedIntent]).ToArray();
        var predicted = predictions.Select(p => index[p.PredictedIntent]).ToArray();

        var certified = predictions.Where(p => p.Certified).ToList();
        var expectedAuto = predictions.Where(p => p.ExpectedBand == "auto").ToList();
        var auto = outcomes.Where(o => o.Outcome.Gate.Band == Band.Auto).ToList();
        var bad = predictions.Count(p => p.Band == "auto" && p.BadAnswer);
        var groundedness = auto.Select(o => o.Outcome.Groundedness ?? 0).ToList();
        var withArticle = outcomes.Where(o => o.Case.ExpectedArticle is not null).ToList();

        return new GoldenSetReport
        {
            Tickets = outcomes.Count,
            RouterAccuracy = predictions.Count(p => p.PredictedIntent == p.ExpectedIntent) / (double)predictions.Count,
            MacroF1 = ClassificationMetrics.MacroF1(truth, predicted, labels.Count),
            CertifiedShare = certified.Count / (double)predictions.Count,
            CertifiedPrecision = certified.Count == 0 ? null : certified.Count(p => p.PredictedIntent == p.ExpectedIntent) / (double)certified.Count,
            ExpectedAuto = expectedAuto.Count,
            AutoReplies = auto.Count,
            BadAutoReplies = bad,
            AutoResolvedShare = expectedAuto.Count == 0 ? 0 : expectedAuto.Count(p => p.Band == "auto") / (double)expectedAuto.Count,
            BadAnswerRate = auto.Count == 0 ? 0 : bad / (double)auto.Count,
            MeanGroundedness = groundedness.Count == 0 ? null : groundedness.Average(),
            MinGroundedness = groundedness.Count == 0 ? null : groundedness.Min(),
            RetrievalRecallAt3 = withArticle.Count == 0
                ? 0
                : withArticle.Count(o => o.Outcome.Sources.Select(s => s.ArticleId).Distinct().Take(3).Contains(o.Case.ExpectedArticle)) / (double)withArticle.Count,
            Latency = Percentiles(outcomes.Select(o => o.LatencyMilliseconds)),
            StageLatency = outcomes.SelectMany(o => o.Outcome.Receipts)
                .GroupBy(r => r.Stage)
                .OrderBy(g => Stages.Position(g.Key))
                .ToDictionary(g => g.Key, g => Percentiles(g.Select(r => r.LatencyMilliseconds))),
            PerIntent = PerIntent(predictions),
            Predictions = predictions,
        };
    }

    /// <summary>Nearest-rank percentile of <paramref name="values"/> (0 for none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static LatencyPercentiles Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return new LatencyPercentiles(Math.Round(Percentile(sorted, 0.5), 3), Math.Round(Percentile(sorted, 0.95), 3));
    }

    private static GoldenPrediction ToPrediction(GoldenOutcome outcome)
    {
        var route = outcome.Outcome.Route;
        var cited = outcome.Outcome.Draft?.Cited.ArticleId;
        var expectedArticle = outcome.Case.ExpectedArticle;
        var bad = route.Intent != outcome.Case.ExpectedIntent || (expectedArticle is not null && cited != expectedArticle);
        return new GoldenPrediction(outcome.Case.ExpectedIntent, route.Intent, Math.Round(route.Confidence, 6), route.Certified,
            outcome.Outcome.Gate.Band.ToString().ToLowerInvariant(), outcome.Case.ExpectedBand?.ToLowerInvariant(), cited, expectedArticle, bad);
    }

    private static List<GoldenIntentScore> PerIntent(IReadOnlyList<GoldenPrediction> predictions) =>
    [
        .. predictions.Select(p => p.ExpectedIntent).Concat(predictions.Select(p => p.PredictedIntent))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(intent =>
            {
                var tickets = predictions.Count(p => p.ExpectedIntent == intent);
                var predicted = predictions.Count(p => p.PredictedIntent == intent);
                var certified = predictions.Where(p => p.PredictedIntent == intent && p.Certified).ToList();
                var right = certified.Count(p => p.ExpectedIntent == intent);
                return new GoldenIntentScore(intent, tickets, predicted, certified.Count, right,
                    certified.Count == 0 ? null : right / (double)certified.Count,
                    tickets == 0 ? 0 : right / (double)tickets,
                    tickets == 0 ? 0 : predictions.Count(p => p.ExpectedIntent == intent && p.PredictedIntent == intent) / (double)tickets);
            }),
    ];
}
