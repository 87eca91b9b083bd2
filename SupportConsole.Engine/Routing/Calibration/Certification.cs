namespace SupportConsole.Engine.Routing.Calibration;

/// <summary>One held-out prediction: which fold it was held out in, the true and predicted intent and the calibrated confidence.</summary>
public readonly record struct HeldOutPrediction(int Fold, int Label, int Predicted, double Confidence)
{
    public bool Correct => Label == Predicted;
}

/// <summary>What a certification promise is made of.</summary>
public sealed record CertificationSettings
{
    /// <summary>Certified predictions must be at least this precise.</summary>
    public double TargetPrecision { get; init; } = 0.98;

    /// <summary>Confidence of the one-sided Clopper-Pearson bound that backs the promise.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>An intent with fewer held-out tickets than this is never certified (it falls back to suggest).</summary>
    public int MinIntentSamples { get; init; } = 25;

    /// <summary>Coverage step between the thresholds tried, from the most confident tickets down.</summary>
    public double CoverageStep { get; init; } = 0.001;

    /// <summary>Ridge penalty pulling each intent's confidence adjustment towards zero (the pooled rule).</summary>
    public double IntentShrinkage { get; init; } = 5.0;

    public void Validate()
    {
        if (TargetPrecision is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TargetPrecision), TargetPrecision, "must be between 0 and 1 (exclusive)");
        }

        if (ConfidenceLevel is <= 0.5 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "must be between 0.5 and 1 (exclusive)");
        }

        if (MinIntentSamples < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinIntentSamples), MinIntentSamples, "must be at least 1");
        }
    }
}

/// <summary>How one intent is certified, with the held-out evidence for it.</summary>
public sealed record IntentCertification
{
    public required string Intent { get; init; }

    /// <summary>Minimum calibrated confidence to certify a prediction of this intent; null means never certified.</summary>
    public double? Threshold { get; init; }

    /// <summary><c>certified</c>, <c>insufficient-held-out-data</c> or <c>no-threshold-meets-target</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Held-out tickets labelled with this intent.</summary>
    public int HeldOutSupport { get; init; }

    /// <summary>Held-out predictions of this intent that the threshold certifies.</summary>
    public int HeldOutCertified { get; init; }

    public int HeldOutCertifiedErrors { get; init; }

    /// <summary>Clopper-Pearson lower bound on this intent's own certified precision (weak for small samples).</summary>
    public double PrecisionLowerBound { get; init; }
}

/// <summary>The certification rule: per-intent confidence thresholds backed by a global precision bound.</summary>
public sealed record CertificationRule
{
    public const string StatusCertified = "certified";
    public const string StatusInsufficientData = "insufficient-held-out-data";
    public const string StatusNoThreshold = "no-threshold-meets-target";

    public required string Method { get; init; }

    public double TargetPrecision { get; init; }

    public double ConfidenceLevel { get; init; }

    public int MinIntentSamples { get; init; }

    /// <summary>Held-out predictions the bound was computed on.</summary>
    public int HeldOutSamples { get; init; }

    /// <summary>Held-out predictions certified when the threshold was chosen (cross-fitted).</summary>
    public int HeldOutCertified { get; init; }

    public int HeldOutCertifiedErrors { get; init; }

    /// <summary>Clopper-Pearson lower bound on certified precision at the chosen threshold (the promise).</summary>
    public double PrecisionLowerBound { get; init; }

    public double HeldOutCoverage => HeldOutSamples == 0 ? 0 : (double)HeldOutCertified / HeldOutSamples;

    public required IReadOnlyList<IntentCertification> Intents { get; init; }

    public bool IsCertified(int intent, double confidence) =>
        Intents[intent].Threshold is { } threshold && confidence >= threshold;
}

/// <summary>
/// Chooses the certification rule on held-out (out-of-fold) predictions. Each intent gets a confidence
/// adjustment from a shrunken logistic model of "is the prediction right" (pooled slope, per-intent offset);
/// the adjusted scores are cross-fitted across folds, and the threshold on them is chosen by fixed-sequence
/// testing from the most confident tickets down, stopping before the first coverage at which the Clopper-Pearson
/// lower bound on precision falls below the target. The threshold is then mapped back to a confidence threshold
/// per intent.
/// </summary>
public static class CertificationRuleBuilder
{
    public static CertificationRule Build(IReadOnlyList<HeldOutPrediction> predictions, IReadOnlyList<string> intents,
        CertificationSettings settings)
    {
        settings.Validate();
        var support = new int[intents.Count];
        foreach (var prediction in predictions)
        {
            support[prediction.Label]++;
        }

        var eligible = support.Select(s => s >= settings.MinIntentSamples).ToArray();
        var folds = predictions.Select(p => p.Fold).Distinct().Order().ToArray();

        // Cross-fitted adjusted scores: each fold's rows are scored by a model fitted on the other folds.
        var adjusted = new double[predictions.Count];
        foreach (var fold in folds)
        {
            var model = CorrectnessModel.Fit(predictions.Where(p => p.Fold != fold && eligible[p.Predicted]).ToList(),
                intents.Count, settings.IntentShrinkage);
            for (var i = 0; i < predictions.Count; i++)
            {
                if (predictions[i].Fold == fold)
                {
                    adjusted[i] = eligible[predictions[i].Predicted]
                        ? model.Score(predictions[i].Predicted, predictions[i].Confidence)
                        : double.NegativeInfinity;
                }
            }
        }

        var (threshold, certified, errors, bound) = FixedSequenceThreshold(predictions, adjusted, settings);
        var final = CorrectnessModel.Fit(predictions.Where(p => eligible[p.Predicted]).ToList(), intents.Count, settings.IntentShrinkage);

        var rules = new List<IntentCertification>();
        for (var k = 0; k < intents.Count; k++)
        {
            double? confidenceThreshold = eligible[k] && threshold is { } t ? final.ConfidenceThreshold(k, t) : null;
            var ofIntent = predictions.Where(p => p.Predicted == k && confidenceThreshold is { } c && p.Confidence >= c).ToList();
            var wrong = ofIntent.Count(p => !p.Correct);
            rules.Add(new IntentCertification
            {
                Intent = intents[k],
                Threshold = confidenceThreshold,
                Status = !eligible[k] ? CertificationRule.StatusInsufficientData
                    : confidenceThreshold is null ? CertificationRule.StatusNoThreshold
                    : CertificationRule.StatusCertified,
                HeldOutSupport = support[k],
                HeldOutCertified = ofIntent.Count,
                HeldOutCertifiedErrors = wrong,
                PrecisionLowerBound = ClopperPearson.LowerBound(ofIntent.Count - wrong, ofIntent.Count, settings.ConfidenceLevel),
            });
        }

        return new CertificationRule
        {
            Method = "per-intent thresholds from a shrunken logistic correctness model (cross-fitted), global threshold by "
                + "fixed-sequence Clopper-Pearson testing",
            TargetPrecision = settings.TargetPrecision,
            ConfidenceLevel = settings.ConfidenceLevel,
            MinIntentSamples = settings.MinIntentSamples,
            HeldOutSamples = predictions.Count,
            HeldOutCertified = certified,
            HeldOutCertifiedErrors = errors,
            PrecisionLowerBound = bound,
            Intents = rules,
        };
    }

    /// <summary>
    /// Walks coverage down from the most confident tickets in fixed steps and keeps the last threshold whose lower
    /// bound clears the target (fixed-sequence testing: the order is fixed before looking at correctness, so no
    /// multiple-testing correction is needed). The walk starts at four times the smallest sample that could pass
    /// at all, so that a single early error does not end it.
    /// </summary>
    private static (double? Threshold, int Certified, int Errors, double Bound) FixedSequenceThreshold(
        IReadOnlyList<HeldOutPrediction> predictions, double[] scores, CertificationSettings settings)
    {
        var order = Enumerable.Range(0, predictions.Count)
            .Where(i => !double.IsNegativeInfinity(scores[i]))
            .OrderByDescending(i => scores[i])
            .ToArray();
        var minimumSample = 4 * (int)Math.Ceiling(Math.Log(1 - settings.ConfidenceLevel) / Math.Log(settings.TargetPrecision));
        var step = Math.Max(1, (int)Math.Round(settings.CoverageStep * predictions.Count));
        (double? Threshold, int Certified, int Errors, double Bound) accepted = (null, 0, 0, 0);
        var errors = 0;
        var counted = 0;
        for (var take = Math.Min(minimumSample, order.Length); take <= order.Length && take > 0; take += step)
        {
            // Ties at the cut-off are all certified or all not: extend to the end of the tie.
            var cut = take;
            while (cut < order.Length && scores[order[cut]] == scores[order[cut - 1]])
            {
                cut++;
            }

            for (; counted < cut; counted++)
            {
                errors += predictions[order[counted]].Correct ? 0 : 1;
            }

            var bound = ClopperPearson.LowerBound(cut - errors, cut, settings.ConfidenceLevel);
            if (bound < settings.TargetPrecision)
            {
                break;
            }

            accepted = (scores[order[cut - 1]], cut, errors, bound);
            take = cut;
        }

        return accepted;
    }

    /// <summary>P(correct) = sigmoid(bias + slope * logit(confidence) + offset[intent]), offsets ridge-penalised.</summary>
    private sealed class CorrectnessModel
    {
        private readonly double _bias;
        private readonly double _slope;
        private readonly double[] _offsets;

        private CorrectnessModel(double bias, double slope, double[] offsets)
        {
            _bias = bias;
            _slope = slope;
            _offsets = offsets;
        }

        public static CorrectnessModel Fit(IReadOnlyList<HeldOutPrediction> rows, int intents, double shrinkage)
        {
            var size = intents + 2;
            var theta = new double[size];
            for (var iteration = 0; iteration < 30; iteration++)
            {
                var gradient = new double[size];
                var hessian = new double[size, size];
                foreach (var row in rows)
                {
                    var s = Logit(row.Confidence);
                    var p = Sigmoid(theta[0] + (theta[1] * s) + theta[2 + row.Predicted]);
                    var residual = p - (row.Correct ? 1 : 0);
                    var weight = Math.Max(p * (1 - p), 1e-9);
                    ReadOnlySpan<(int Index, double Value)> x = [(0, 1.0), (1, s), (2 + row.Predicted, 1.0)];
                    foreach (var (i, xi) in x)
                    {
                        gradient[i] += residual * xi;
                        foreach (var (j, xj) in x)
                        {
                            hessian[i, j] += weight * xi * xj;
                        }
                    }
                }

                for (var k = 2; k < size; k++)
                {
                    gradient[k] += shrinkage * theta[k];
                    hessian[k, k] += shrinkage;
                }

                hessian[0, 0] += 1e-6;
                hessian[1, 1] += 1e-6;
                var step = StackedTemperatureScaling.Solve(hessian, gradient);
                var change = 0.0;
                for (var i = 0; i < size; i++)
                {
                    theta[i] -= step[i];
                    change = Math.Max(change, Math.Abs(step[i]));
                }

                if (change < 1e-8)
                {
                    break;
                }
            }

            return new CorrectnessModel(theta[0], theta[1], theta[2..]);
        }

        public double Score(int intent, double confidence) => _bias + (_slope * Logit(confidence)) + _offsets[intent];

        /// <summary>The confidence at which this intent's score reaches <paramref name="scoreThreshold"/>.</summary>
        public double? ConfidenceThreshold(int intent, double scoreThreshold)
        {
            if (_slope <= 0)
            {
                return null;
            }

            return Sigmoid((scoreThreshold - _bias - _offsets[intent]) / _slope);
        }

        private static double Logit(double p)
        {
            var clamped = Math.Clamp(p, 1e-7, 1 - 1e-7);
            return Math.Log(clamped / (1 - clamped));
        }

        private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
    }
}
