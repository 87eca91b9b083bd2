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
        var logLoss = 0.0;
        for (var start = 0; start < tickets.Count; start += BatchSize)
        {
            var batch = tickets.Skip(start).Take(BatchSize).Select(t => t.Text).ToList();
            var probabilities = router.Probabilities(batch);
            for (var b = 0; b < batch.Count; b++)
            {
                var i = start + b;
                var row = probabilities.AsSpan(b * labels.Count, labels.Count);
                predicted[i] = TensorPrimitives.IndexOfMax(row);
                var correct = predicted[i] == truth[i];
                calibration.Add((row[predicted[i]], correct));
                logLoss -= Math.Log(Math.Max(row[truth[i]], 1e-12));
                if (router.Card.Certification.IsCertified(predicted[i], row[predicted[i]]))
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
        };
    }
}
