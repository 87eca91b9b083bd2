using System.Diagnostics;
using System.Numerics.Tensors;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing.Cascade;

/// <summary>What shapes stage 2 of a cascade training run (stage 1's settings are <see cref="RouterTrainingSettings"/>).</summary>
public sealed record CascadeTrainingSettings
{
    public RouterTrainingSettings StageOne { get; init; } = new();

    /// <summary>L2 penalties tried for the encoder head on the first fold's validation rows.</summary>
    public IReadOnlyList<double> HeadL2Grid { get; init; } = [1e-4, 3e-5, 1e-5];
}

/// <summary>
/// Trains the two-stage router: stage 1 (<see cref="RouterTrainer"/>, n-gram lookups) and on top of its out-of-fold
/// predictions, with the same open-set folds, stage 2: a softmax regression head on the pretrained encoder's
/// embedding, a stacker combining it with stage 1 (stacked temperature scaling, which also calibrates), the
/// out-of-scope checks of both stages (similarity to the predicted intent's nearest training ticket, in the static
/// space for stage 1 and the encoder's space for stage 2), and one certification rule per stage: stage 1's alone, and
/// stage 2's over everything certified, stage 1's certified tickets included.
/// </summary>
public sealed class CascadeTrainer(CascadeTrainingSettings settings, IProgress<string>? progress = null)
{
    public TrainedCascade Train(IReadOnlyList<LabelledText> examples, string dataSource, SentenceEncoder encoder, EmbeddingCache cache,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var stageOne = new RouterTrainer(settings.StageOne, progress).Train(examples, dataSource, cancellationToken);
        var stageOneSeconds = clock.Elapsed.TotalSeconds;
        var texts = examples.Select(e => e.Text).ToArray();
        var embedded = cache.Embed(encoder, texts, progress, cancellationToken);
        Report($"embeddings: {embedded.Computed} computed, {embedded.Reused} from the cache ({clock.Elapsed.TotalSeconds:F0} s)");
        var embeddingSeconds = clock.Elapsed.TotalSeconds - stageOneSeconds;
        var stageTwo = TrainStageTwo(stageOne, texts, embedded.Rows, encoder, cancellationToken);
        Report($"cascade trained in {clock.Elapsed.TotalSeconds:F1} s");
        return TrainedCascade.Create(stageOne, stageTwo, encoder, settings, new CascadeTimings(
            Math.Round(stageOneSeconds, 1), Math.Round(embeddingSeconds, 1), embedded.Computed, embedded.Reused,
            Math.Round(clock.Elapsed.TotalSeconds, 1)));
    }

    internal StageTwoResult TrainStageTwo(TrainedRouter stageOne, string[] texts, float[] embeddingRows, SentenceEncoder encoder,
        CancellationToken cancellationToken)
    {
        var held = stageOne.HeldOut;
        var labels = stageOne.Card.Labels;
        var classes = labels.Count;
        var n = texts.Length;
        var dimensions = encoder.Dimensions;
        var y = held.Labels;
        var folds = held.Folds;
        var foldCount = settings.StageOne.Folds;
        var leftOutIn = RouterTrainer.LeftOutFolds(classes, foldCount, settings.StageOne.LeaveEachIntentOutOnce, settings.StageOne.Seed);

        // Both spaces at half precision, as the model file keeps them, so held-out and live similarities agree.
        var encoderHalf = NearestExamples.ToHalf(embeddingRows);
        var embeddings = new float[encoderHalf.Length];
        TensorPrimitives.ConvertToSingle(encoderHalf, embeddings);
        var staticRows = new float[n * encoder.StaticTable.Dimensions];
        for (var i = 0; i < n; i++)
        {
            encoder.StaticVector(texts[i], staticRows.AsSpan(i * encoder.StaticTable.Dimensions, encoder.StaticTable.Dimensions));
        }

        var staticHalf = NearestExamples.ToHalf(staticRows);
        var x = SparseMatrix.FromRows([.. Enumerable.Range(0, n).Select(i => new SparseVector(
            [.. Enumerable.Range(0, dimensions)], embeddings.AsSpan(i * dimensions, dimensions).ToArray()))], dimensions);

        int[] TrainRows(int fold) => [.. Enumerable.Range(0, n).Where(i => fold < 0 || (folds[i] != fold && leftOutIn[y[i]] != fold))];
        int[] ValidRows(int fold) => [.. Enumerable.Range(0, n).Where(i => folds[i] == fold)];

        // The head's penalty from fold 1's in-scope validation rows, strongest first, each fit warm-started.
        var l2 = SearchHeadPenalty(x, y, classes, TrainRows(0), ValidRows(0).Where(i => !held.Unknown[i]).ToArray(), cancellationToken);
        var headScores = new float[n * classes];
        // The folds two at a time on one thread each, then the fit on every row with both threads (the same numbers
        // either way: parallelism never changes the order of a sum).
        Parallel.For(0, foldCount, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, fold =>
        {
            var rows = TrainRows(fold);
            var model = new SoftmaxRegressionTrainer(l2).Fit(x.Select(rows), [.. rows.Select(i => y[i])], classes, cancellationToken: cancellationToken);
            var valid = ValidRows(fold);
            var scores = model.Scores(x.Select(valid));
            for (var r = 0; r < valid.Length; r++)
            {
                scores.AsSpan(r * classes, classes).CopyTo(headScores.AsSpan(valid[r] * classes));
            }

            Report($"encoder head: fold {fold + 1}/{foldCount} done");
        });
        var full = new SoftmaxRegressionTrainer(l2, parallelism: 2).Fit(x, y, classes, cancellationToken: cancellationToken);

        // The stacker: stacked temperature scaling over stage 1's log-probabilities and the head's scores, fitted on
        // the in-scope held-out rows (an open-set row has no right answer among its fold's intents).
        var logStageOne = new float[n * classes];
        for (var i = 0; i < logStageOne.Length; i++)
        {
            logStageOne[i] = (float)Math.Log(Math.Max(held.Probabilities[i], CascadeModel.ProbabilityFloor));
        }

        var known = Enumerable.Range(0, n).Where(i => !held.Unknown[i]).ToArray();
        var knownY = known.Select(i => y[i]).ToArray();
        float[][] members = [logStageOne, headScores];
        var knownMembers = members.Select(m => Subset(m, known, classes)).ToArray();
        var stack = StackedTemperatureScaling.Fit(knownMembers, knownY, classes);
        var cascade = StackedTemperatureScaling.Probabilities(members, n, classes, stack);
        var headOnly = StackedTemperatureScaling.Probabilities([headScores], n, classes, [1.0]);
        Report($"stacker: stage 1 x {stack[0]:F3}, encoder head x {stack[1]:F3}");

        // Out-of-scope similarities, each row against its fold's training rows only.
        var staticSimilarity = new double[n];
        var encoderSimilarity = new double[n];
        var stageOnePredicted = Predicted(held.Probabilities, n, classes);
        var cascadePredicted = Predicted(cascade, n, classes);
        Parallel.For(0, foldCount, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, fold =>
        {
            var rows = TrainRows(fold);
            var staticIndex = Index(staticHalf, encoder.StaticTable.Dimensions, rows, y, classes);
            var encoderIndex = Index(encoderHalf, dimensions, rows, y, classes);
            foreach (var i in ValidRows(fold))
            {
                staticSimilarity[i] = staticIndex.Similarity(stageOnePredicted[i], staticRows.AsSpan(i * encoder.StaticTable.Dimensions, encoder.StaticTable.Dimensions));
                encoderSimilarity[i] = encoderIndex.Similarity(cascadePredicted[i], embeddings.AsSpan(i * dimensions, dimensions));
            }
        });
        var allRows = Enumerable.Range(0, n).ToArray();
        var model = new CascadeModel
        {
            Classes = classes,
            Dimensions = dimensions,
            HeadWeights = [.. full.Parameters.AsSpan(0, dimensions * classes)],
            HeadBias = full.Bias.ToArray(),
            StageOneWeight = stack[0],
            HeadWeight = stack[1],
            StaticExamples = Index(staticHalf, encoder.StaticTable.Dimensions, allRows, y, classes),
            EncoderExamples = Index(encoderHalf, dimensions, allRows, y, classes),
        };

        var stageOnePredictions = Enumerable.Range(0, n).Select(i => new HeldOutPrediction(folds[i], y[i], stageOnePredicted[i],
            held.Probabilities[(i * classes) + stageOnePredicted[i]], held.Unknown[i], staticSimilarity[i])).ToList();
        var cascadePredictions = Enumerable.Range(0, n).Select(i => new HeldOutPrediction(folds[i], y[i], cascadePredicted[i],
            cascade[(i * classes) + cascadePredicted[i]], held.Unknown[i], encoderSimilarity[i])).ToList();
        var targets = new[] { settings.StageOne.Certification.TargetPrecision }
            .Concat(settings.StageOne.AlternativeTargets.Where(t => t is > 0 and < 1)).Distinct().ToArray();
        var rules = targets.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(target =>
        {
            var certification = settings.StageOne.Certification with { TargetPrecision = target };
            var first = CertificationRuleBuilder.Build(stageOnePredictions, labels, certification);
            var certifiedFirst = stageOnePredictions.Select(p => first.IsCertified(p.Predicted, p.Confidence, p.Similarity)).ToArray();
            var second = CertificationRuleBuilder.Build(cascadePredictions, labels, certification, certifiedFirst);
            return new StageRules(target, first, second, certifiedFirst);
        }).ToList();
        var primary = rules[0];
        Report($"stage 1 certifies {primary.StageOne.HeldOutCertified / (double)n:P1} of held-out rows alone "
            + $"(out-of-scope cut {primary.StageOne.OutOfScopeThreshold:F3}); with stage 2 {primary.StageTwo.HeldOutCertified / (double)n:P1} "
            + $"at lower bound {primary.StageTwo.PrecisionLowerBound:F4}, open-set rows certified "
            + $"{primary.StageTwo.OpenSetCertified}/{primary.StageTwo.OpenSetSamples}");

        var metrics = CascadeMetrics(primary, stageOnePredictions, cascadePredictions, members, headOnly, y, known, classes, stack);
        return new StageTwoResult(model, l2, rules, metrics);
    }

    private double SearchHeadPenalty(SparseMatrix x, int[] y, int classes, int[] trainRows, int[] validRows, CancellationToken cancellationToken)
    {
        var xTrain = x.Select(trainRows);
        var yTrain = trainRows.Select(i => y[i]).ToArray();
        var xValid = x.Select(validRows);
        var yValid = validRows.Select(i => y[i]).ToArray();
        LinearSoftmaxModel? previous = null;
        (double L2, double LogLoss) best = (settings.HeadL2Grid[0], double.MaxValue);
        foreach (var l2 in settings.HeadL2Grid.OrderDescending())
        {
            previous = new SoftmaxRegressionTrainer(l2, parallelism: 2).Fit(xTrain, yTrain, classes, previous, cancellationToken);
            var logLoss = StackedTemperatureScaling.LogLoss([previous.Scores(xValid)], yValid, classes, [1.0]);
            Report($"  encoder head l2={l2:G2}: validation log-loss {logLoss:F4}");
            if (logLoss < best.LogLoss)
            {
                best = (l2, logLoss);
            }
        }

        return best.L2;
    }

    /// <summary>Held-out figures of the whole cascade: each row scored by the stage that would decide it.</summary>
    private static HeldOutMetrics CascadeMetrics(StageRules rules, List<HeldOutPrediction> stageOne, List<HeldOutPrediction> cascade,
        float[][] members, float[] headOnly, int[] y, int[] known, int classes, double[] stack)
    {
        var decided = Enumerable.Range(0, y.Length).Select(i => rules.CertifiedFirst[i] ? stageOne[i] : cascade[i]).ToArray();
        var inScope = known.Select(i => decided[i]).ToList();
        var certified = Enumerable.Range(0, y.Length)
            .Count(i => rules.CertifiedFirst[i] || rules.StageTwo.IsCertified(cascade[i].Predicted, cascade[i].Confidence, cascade[i].Similarity));
        var errors = Enumerable.Range(0, y.Length).Count(i => (rules.CertifiedFirst[i]
            || rules.StageTwo.IsCertified(cascade[i].Predicted, cascade[i].Confidence, cascade[i].Similarity)) && !decided[i].Correct);
        var knownY = known.Select(i => y[i]).ToArray();
        var knownMembers = members.Select(m => Subset(m, known, classes)).ToArray();
        var uncalibrated = StackedTemperatureScaling.Probabilities(knownMembers, known.Length, classes, [1.0, 1.0]);
        return new HeldOutMetrics
        {
            Rows = known.Length,
            OpenSetRows = y.Length - known.Length,
            Accuracy = inScope.Count(p => p.Correct) / (double)known.Length,
            MacroF1 = ClassificationMetrics.MacroF1(knownY, [.. inScope.Select(p => p.Predicted)], classes),
            LogLossBeforeCalibration = StackedTemperatureScaling.LogLoss(knownMembers, knownY, classes, [1.0, 1.0]),
            LogLossAfterCalibration = StackedTemperatureScaling.LogLoss(knownMembers, knownY, classes, stack),
            ExpectedCalibrationErrorBefore = CalibrationError.Expected([.. Enumerable.Range(0, known.Length).Select(r =>
            {
                var row = uncalibrated.AsSpan(r * classes, classes);
                var p = TensorPrimitives.IndexOfMax(row);
                return ((double)row[p], p == knownY[r]);
            })]),
            ExpectedCalibrationErrorAfter = CalibrationError.Expected([.. inScope.Select(p => (p.Confidence, p.Correct))]),
            CertifiedCoverage = certified / (double)y.Length,
            CertifiedPrecision = certified == 0 ? 0 : 1 - (errors / (double)certified),
            OpenSetCertifiedRate = rules.StageTwo.OpenSetSamples == 0 ? 0 : rules.StageTwo.OpenSetCertified / (double)rules.StageTwo.OpenSetSamples,
            HeadOnlyAccuracy = known.Count(i => TensorPrimitives.IndexOfMax(headOnly.AsSpan(i * classes, classes)) == y[i]) / (double)known.Length,
        };
    }

    private static NearestExamples Index(Half[] vectors, int dimensions, int[] rows, int[] y, int classes)
    {
        var selected = new Half[rows.Length * dimensions];
        for (var r = 0; r < rows.Length; r++)
        {
            vectors.AsSpan(rows[r] * dimensions, dimensions).CopyTo(selected.AsSpan(r * dimensions));
        }

        return new NearestExamples(dimensions, classes, [.. rows.Select(i => y[i])], selected);
    }

    private static int[] Predicted(float[] probabilities, int rows, int classes) =>
        [.. Enumerable.Range(0, rows).Select(i => TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * classes, classes)))];

    private static float[] Subset(float[] scores, int[] rows, int classes)
    {
        var subset = new float[rows.Length * classes];
        for (var r = 0; r < rows.Length; r++)
        {
            scores.AsSpan(rows[r] * classes, classes).CopyTo(subset.AsSpan(r * classes));
        }

        return subset;
    }

    private readonly Lock _reportLock = new();

    private void Report(string message)
    {
        lock (_reportLock)
        {
            progress?.Report(message);
        }
    }
}

/// <summary>One precision target's rules: stage 1 alone, and stage 2 over everything certified.</summary>
internal sealed record StageRules(double Target, CertificationRule StageOne, CertificationRule StageTwo, bool[] CertifiedFirst);

internal sealed record StageTwoResult(CascadeModel Model, double HeadL2, IReadOnlyList<StageRules> Rules, HeldOutMetrics Validation);

/// <summary>Where a cascade training run spent its time, and how much of the embedding the cache saved.</summary>
public sealed record CascadeTimings(double StageOneSeconds, double EmbeddingSeconds, int EmbeddingsComputed, int EmbeddingsReused, double TotalSeconds);
