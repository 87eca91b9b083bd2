using System.Numerics.Tensors;
using SupportConsole.Engine.Routing.Calibration;

namespace SupportConsole.Engine.Routing;

/// <summary>A router's scores on a labelled test set.</summary>
public sealed record RouterEvaluation
{
    public required string ModelVersion { get; init; }

    public int N { get; init; }

    public double Accuracy { get; init; }

    public double MacroF1 { get; init; }

    /// <summary>Share of tickets the certification rule certifies.</summary>
    public double CertifiedCoverage { get; init; }

    /// <summary>Accuracy among certified tickets.</summary>
    public double CertifiedPrecision { get; init; }

    public int Certified { get; init; }

    public int CertifiedErrors { get; init; }

    public double ExpectedCalibrationError { get; init; }

    public double LogLoss { get; init; }

    public double TargetPrecision { get; init; }

    /// <summary>Share of tickets stage 1 decided alone (1 for a stage-1-only router).</summary>
    public double StageOneShare { get; init; }

    /// <summary>Share of tickets the deciding stage's out-of-scope check flagged.</summary>
    public double OutOfScopeShare { get; init; }
}

/// <summary>Scores a router on labelled tickets; every label must be one the model knows.</summary>
public static class RouterEvaluator
{
    private const int BatchSize = 256;

    public static RouterEvaluation Evaluate(IIntentRouter router, IReadOnlyList<LabelledText> tickets, string source)
    {
        var labels = router.Card.Labels;
        var labelIndex = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        for (var i = 0; i < tickets.Count; i++)
        {
            if (tickets[i].Category is not { } category)
            {
                throw new DataFileException($"{source}: row {i + 1} has no category");
            }

            if (!labelIndex.ContainsKey(category))
            {
                throw new DataFileException($"{source}: row {i + 1} has label '{category}', which model {router.Card.VersionId} does not know");
            }
        }

        if (tickets.Count == 0)
        {
            throw new DataFileException($"{source}: no rows to evaluate");
        }

        var truth = tickets.Select(t => labelIndex[t.Category!]).ToArray();
        var predicted = new int[tickets.Count];
        var calibration = new List<(double, bool)>(tickets.Count);
        var certified = 0;
        var certifiedErrors = 0;
        var stageOne = 0;
        var outOfScope = 0;
        var logLoss = 0.0;
        for (var start = 0; start < tickets.Count; start += BatchSize)
        {
            var batch = tickets.Skip(start).Take(BatchSize).Select(t => t.Text).ToList();
            var probabilities = new float[batch.Count * labels.Count];
            var routes = router.Route(batch, router.Card.Certification.TargetPrecision, probabilities);
            for (var b = 0; b < batch.Count; b++)
            {
                var i = start + b;
                var row = probabilities.AsSpan(b * labels.Count, labels.Count);
                predicted[i] = TensorPrimitives.IndexOfMax(row);
                var correct = predicted[i] == truth[i];
                calibration.Add((row[predicted[i]], correct));
                logLoss -= Math.Log(Math.Max(row[truth[i]], 1e-12));
                stageOne += routes[b].Stage == 1 ? 1 : 0;
                outOfScope += routes[b].OutOfScope ? 1 : 0;
                if (routes[b].Certified)
                {
                    certified++;
                    certifiedErrors += correct ? 0 : 1;
                }
            }
        }

        return new RouterEvaluation
        {
            ModelVersion = router.Card.VersionId,
            N = tickets.Count,
            Accuracy = predicted.Zip(truth).Count(p => p.First == p.Second) / (double)tickets.Count,
            MacroF1 = ClassificationMetrics.MacroF1(truth, predicted, labels.Count),
            CertifiedCoverage = certified / (double)tickets.Count,
            CertifiedPrecision = certified == 0 ? 0 : 1 - (certifiedErrors / (double)certified),
            Certified = certified,
            CertifiedErrors = certifiedErrors,
            ExpectedCalibrationError = CalibrationError.Expected(calibration),
            LogLoss = logLoss / tickets.Count,
            TargetPrecision = router.Card.Certification.TargetPrecision,
            StageOneShare = stageOne / (double)tickets.Count,
            OutOfScopeShare = outOfScope / (double)tickets.Count,
        };
    }
}

/// <summary>How a router treats texts that belong to none of its intents (the foreign-text set): none should be certified.</summary>
public sealed record ForeignTextEvaluation
{
    public required string Source { get; init; }

    public int N { get; init; }

    public int Certified { get; init; }

    public double CertifiedRate { get; init; }

    /// <summary>Share flagged by the deciding stage's out-of-scope check.</summary>
    public double OutOfScopeShare { get; init; }

    public double StageOneShare { get; init; }

    public double MeanConfidence { get; init; }

    /// <summary>Certified rate per kind of text (the set's <c>kind</c> column), when it has one.</summary>
    public IReadOnlyDictionary<string, double> CertifiedRateByKind { get; init; } = new Dictionary<string, double>();

    /// <summary>The certified texts themselves (each one a confident answer to a question nobody asked).</summary>
    public IReadOnlyList<string> CertifiedTexts { get; init; } = [];

    public static ForeignTextEvaluation Evaluate(IIntentRouter router, IReadOnlyList<(string Text, string? Kind)> texts, string source)
    {
        if (texts.Count == 0)
        {
            throw new DataFileException($"{source}: no rows to evaluate");
        }

        var routes = new List<RoutePrediction>(texts.Count);
        foreach (var batch in texts.Chunk(256))
        {
            routes.AddRange(router.Route([.. batch.Select(t => t.Text)]));
        }

        return new ForeignTextEvaluation
        {
            Source = source,
            N = texts.Count,
            Certified = routes.Count(r => r.Certified),
            CertifiedRate = routes.Count(r => r.Certified) / (double)texts.Count,
            OutOfScopeShare = routes.Count(r => r.OutOfScope) / (double)texts.Count,
            StageOneShare = routes.Count(r => r.Stage == 1) / (double)texts.Count,
            MeanConfidence = routes.Average(r => r.Confidence),
            CertifiedRateByKind = texts.Select((t, i) => (Kind: t.Kind ?? "all", routes[i].Certified))
                .GroupBy(p => p.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(p => p.Certified) / (double)g.Count(), StringComparer.Ordinal),
            CertifiedTexts = [.. texts.Where((_, i) => routes[i].Certified).Select(t => t.Text)],
        };
    }
}
