namespace SupportConsole.Engine.Routing.Calibration;

/// <summary>
/// One held-out prediction: which fold it was held out in, the true and predicted intent and the calibrated confidence.
/// <paramref name="Unknown"/> marks an open-set row: its intent was left out of that fold's training, so any certified
/// prediction of it is an error (a ticket of an intent nobody labelled).
/// </summary>
/// <paramref name="Similarity"/> is the out-of-scope check's score (similarity to the nearest training ticket of the
/// predicted intent; higher is more in scope), or NaN when the router has no such check.
public readonly record struct HeldOutPrediction(int Fold, int Label, int Predicted, double Confidence, bool Unknown = false,
    double Similarity = double.NaN)
{
    public bool Correct => !Unknown && Label == Predicted;
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

    /// <summary>
    /// Most of the open-set held-out rows (intents their fold never saw) the rule may certify: the walk stops before
    /// the one-sided upper bound on that share passes it. The bound counts each left-out intent as a cluster (its
    /// tickets tend to leak together into one neighbour), so it is the Clopper-Pearson bound at the design-effect
    /// sample size (<see cref="ClopperPearson.UpperBound(ReadOnlySpan{int}, ReadOnlySpan{int}, double)"/>). Ignored
    /// without open-set rows.
    /// </summary>
    public double MaxOpenSetCertifiedRate { get; init; } = 0.05;

    /// <summary>
    /// Out-of-scope cuts tried when the predictions carry a similarity: the similarity below which this share of the
    /// in-scope held-out rows falls. The cut whose rule certifies the most rows is kept.
    /// </summary>
    public IReadOnlyList<double> OutOfScopeQuantiles { get; init; } = [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.17, 0.25];

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

    /// <summary>Held-out rows whose intent their fold's model never saw (open-set folds), among <see cref="HeldOutSamples"/>.</summary>
    public int OpenSetSamples { get; init; }

    /// <summary>Of <see cref="OpenSetSamples"/>, how many the rule certified (each one an error).</summary>
    public int OpenSetCertified { get; init; }

    /// <summary>Out-of-scope check: a prediction is certified only if its similarity reaches this (null: no check).</summary>
    public double? OutOfScopeThreshold { get; init; }

    /// <summary>Held-out predictions certified before this rule's own (an earlier stage's), counted in its bound.</summary>
    public int EarlierStageCertified { get; init; }

    public required IReadOnlyList<IntentCertification> Intents { get; init; }

    public bool IsCertified(int intent, double confidence) =>
        Intents[intent].Threshold is { } threshold && confidence >= threshold;

    /// <summary>Certified, and in scope by the out-of-scope check when the rule has one.</summary>
    public bool IsCertified(int intent, double confidence, double similarity) =>
        IsCertified(intent, confidence) && (OutOfScopeThreshold is not { } cut || similarity >= cut);
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
        CertificationSettings settings) => Build(predictions, intents, settings, earlier: null);

    /// <summary>
    /// The rule for the rows of <paramref name="predictions"/>; <paramref name="earlier"/> marks rows an earlier stage
    /// already certified (they are not this rule's to certify, but their errors count in its bound, which so covers
    /// everything certified). With similarities, each out-of-scope cut of <see cref="CertificationSettings.OutOfScopeQuantiles"/>
    /// is tried and the one certifying the most rows kept.
    /// </summary>
    public static CertificationRule Build(IReadOnlyList<HeldOutPrediction> predictions, IReadOnlyList<string> intents,
        CertificationSettings settings, IReadOnlyList<bool>? earlier)
    {
        settings.Validate();
        var withSimilarity = predictions.Count > 0 && predictions.All(p => !double.IsNaN(p.Similarity));
        if (!withSimilarity)
        {
            return BuildAt(predictions, intents, settings, earlier, null);
        }

        var inScope = predictions.Where(p => !p.Unknown).Select(p => p.Similarity).Order().ToArray();
        CertificationRule? best = null;
        foreach (var quantile in settings.OutOfScopeQuantiles.Distinct().Order())
        {
            double? cut = quantile <= 0 || inScope.Length == 0 ? null : inScope[Math.Min(inScope.Length - 1, (int)(quantile * inScope.Length))];
            var rule = BuildAt(predictions, intents, settings, earlier, cut);
            if (best is null || rule.HeldOutCertified > best.HeldOutCertified)
            {
                best = rule;
            }
        }

        return best!;
    }

    private static CertificationRule BuildAt(IReadOnlyList<HeldOutPrediction> predictions, IReadOnlyList<string> intents,
        CertificationSettings settings, IReadOnlyList<bool>? earlier, double? outOfScopeCut)
    {
        var support = new int[intents.Count];
        foreach (var prediction in predictions.Where(p => !p.Unknown))
        {
            support[prediction.Label]++;
        }

        var eligible = support.Select(s => s >= settings.MinIntentSamples).ToArray();
        var folds = predictions.Select(p => p.Fold).Distinct().Order().ToArray();
        bool Candidate(int i) => (earlier is null || !earlier[i]) && eligible[predictions[i].Predicted]
            && (outOfScopeCut is not { } cut || predictions[i].Similarity >= cut);
        var candidates = Enumerable.Range(0, predictions.Count).Where(Candidate).ToHashSet();

        // Cross-fitted adjusted scores: each fold's rows are scored by a model fitted on the other folds.
        var adjusted = new double[predictions.Count];
        foreach (var fold in folds)
        {
            var model = CorrectnessModel.Fit([.. candidates.Where(i => predictions[i].Fold != fold).Order().Select(i => predictions[i])],
                intents.Count, settings.IntentShrinkage);
            for (var i = 0; i < predictions.Count; i++)
            {
                if (predictions[i].Fold == fold)
                {
                    adjusted[i] = candidates.Contains(i) ? model.Score(predictions[i].Predicted, predictions[i].Confidence) : double.NegativeInfinity;
                }
            }
        }

        var before = earlier is null ? [] : Enumerable.Range(0, predictions.Count).Where(i => earlier[i]).ToArray();
        var (threshold, certified, errors, bound) = FixedSequenceThreshold(predictions, adjusted, before, settings);
        var openSetCertified = before.Count(i => predictions[i].Unknown)
            + (threshold is { } at ? predictions.Where((p, i) => p.Unknown && adjusted[i] >= at).Count() : 0);
        var final = CorrectnessModel.Fit([.. candidates.Order().Select(i => predictions[i])], intents.Count, settings.IntentShrinkage);

        var rules = new List<IntentCertification>();
        for (var k = 0; k < intents.Count; k++)
        {
            double? confidenceThreshold = eligible[k] && threshold is { } t ? final.ConfidenceThreshold(k, t) : null;
            var ofIntent = candidates.Select(i => predictions[i])
                .Where(p => p.Predicted == k && confidenceThreshold is { } c && p.Confidence >= c).ToList();
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
                + "fixed-sequence Clopper-Pearson testing" + (predictions.Any(p => p.Unknown) ? " on open-set folds" : string.Empty)
                + (outOfScopeCut is null ? string.Empty : ", out-of-scope cut on the similarity to the predicted intent's nearest training ticket"),
            TargetPrecision = settings.TargetPrecision,
            ConfidenceLevel = settings.ConfidenceLevel,
            MinIntentSamples = settings.MinIntentSamples,
            HeldOutSamples = predictions.Count,
            HeldOutCertified = certified,
            HeldOutCertifiedErrors = errors,
            PrecisionLowerBound = bound,
            OpenSetSamples = predictions.Count(p => p.Unknown),
            OpenSetCertified = openSetCertified,
            OutOfScopeThreshold = outOfScopeCut,
            EarlierStageCertified = before.Length,
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
        IReadOnlyList<HeldOutPrediction> predictions, double[] scores, int[] before, CertificationSettings settings)
    {
        var order = Enumerable.Range(0, predictions.Count)
            .Where(i => !double.IsNegativeInfinity(scores[i]))
            .OrderByDescending(i => scores[i])
            .ToArray();
        var minimumSample = 4 * (int)Math.Ceiling(Math.Log(1 - settings.ConfidenceLevel) / Math.Log(settings.TargetPrecision));
        var step = Math.Max(1, (int)Math.Round(settings.CoverageStep * predictions.Count));
        var openSet = predictions.Count(p => p.Unknown);
        var clusters = predictions.Count == 0 ? 0 : predictions.Max(p => p.Label) + 1;
        var openSetRows = new int[clusters];
        var leakedRows = new int[clusters];
        foreach (var prediction in predictions.Where(p => p.Unknown))
        {
            openSetRows[prediction.Label]++;
        }

        foreach (var i in before.Where(i => predictions[i].Unknown))
        {
            leakedRows[predictions[i].Label]++;
        }

        var (baseCertified, baseErrors) = (before.Length, before.Count(i => !predictions[i].Correct));
        (double? Threshold, int Certified, int Errors, double Bound) accepted =
            (null, baseCertified, baseErrors, ClopperPearson.LowerBound(baseCertified - baseErrors, baseCertified, settings.ConfidenceLevel));
        var errors = 0;
        var counted = 0;
        for (var take = Math.Min(Math.Max(1, minimumSample - baseCertified), order.Length); take <= order.Length && take > 0; take += step)
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
                if (predictions[order[counted]].Unknown)
                {
                    leakedRows[predictions[order[counted]].Label]++;
                }
            }

            var total = baseCertified + cut;
            var bound = ClopperPearson.LowerBound(total - baseErrors - errors, total, settings.ConfidenceLevel);
            var leakBound = openSet == 0 ? 0 : ClopperPearson.UpperBound(leakedRows, openSetRows, settings.ConfidenceLevel);
            if (bound < settings.TargetPrecision || leakBound > settings.MaxOpenSetCertifiedRate)
            {
                break;
            }

            accepted = (scores[order[cut - 1]], total, baseErrors + errors, bound);
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
