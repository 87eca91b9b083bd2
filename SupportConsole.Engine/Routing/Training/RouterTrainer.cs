using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using SupportConsole.Engine.Routing.Calibration;

namespace SupportConsole.Engine.Routing.Training;

/// <summary>Everything that shapes a router training run.</summary>
public sealed record RouterTrainingSettings
{
    public FeatureSettings Features { get; init; } = new();

    public HiddenLayerSettings Network { get; init; } = new();

    public CertificationSettings Certification { get; init; } = new();

    /// <summary>
    /// More precision targets to certify for besides <see cref="CertificationSettings.TargetPrecision"/>; the card keeps a
    /// rule for each, so a tenant can ask for a stricter promise at run time without retraining.
    /// </summary>
    public IReadOnlyList<double> AlternativeTargets { get; init; } = [0.95, 0.97, 0.985, 0.99];

    /// <summary>L2 penalties tried for the softmax regression on the first fold's validation rows.</summary>
    public IReadOnlyList<double> L2Grid { get; init; } = [3e-5, 1e-5, 3e-6];

    /// <summary>Folds of the training data: each is held out once, giving out-of-fold predictions for every row.</summary>
    public int Folds { get; init; } = 10;

    public int Seed { get; init; } = 13;

    /// <summary>
    /// Open-set folds: every intent is left out of exactly one fold's training, so that fold's held-out rows of it are
    /// tickets of an intent the model never saw. They count as errors wherever they get certified, which makes the
    /// certification bound cover unknown intents, not only known ones. Calibration and the held-out figures use the
    /// other (in-scope) rows. The refit on all rows is the same either way.
    /// </summary>
    public bool LeaveEachIntentOutOnce { get; init; } = true;

    /// <summary>Widest the linear member may be in the n-gram table; more intents than this are stored as a low-rank factor.</summary>
    public int MaxLinearRank { get; init; } = 96;

    public void Validate()
    {
        Features.Validate();
        Certification.Validate();
        if (Folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Folds), Folds, "must be at least 2");
        }

        if (L2Grid.Count == 0 || L2Grid.Any(l2 => l2 <= 0))
        {
            throw new ArgumentException("L2 grid must hold positive penalties", nameof(L2Grid));
        }
    }
}

/// <summary>
/// Trains the intent router: an ensemble of a softmax regression and a one-hidden-layer network over word and
/// character n-grams. Hyper-parameters are chosen on the first fold's validation rows; every fold then yields
/// out-of-fold predictions on which the ensemble is calibrated (stacked temperature scaling) and the certification
/// rule is chosen; finally both members are refitted on all rows.
/// </summary>
public sealed class RouterTrainer(RouterTrainingSettings settings, IProgress<string>? progress = null)
{
    private readonly Lock _reportLock = new();

    public TrainedRouter Train(IReadOnlyList<LabelledText> examples, string dataSource, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        if (examples.Any(e => e.Category is null))
        {
            throw new ArgumentException("every training example needs a category", nameof(examples));
        }

        var labels = examples.Select(e => e.Category!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2)
        {
            throw new ArgumentException($"training data needs at least two intents, found {labels.Length}", nameof(examples));
        }

        var labelIndex = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var y = examples.Select(e => labelIndex[e.Category!]).ToArray();
        var texts = examples.Select(e => e.Text).ToArray();
        var folds = StratifiedFolds(y, labels.Length, settings.Folds, settings.Seed);
        var leftOutIn = LeftOutFolds(labels.Length, settings.Folds, settings.LeaveEachIntentOutOnce, settings.Seed);
        var unknown = Enumerable.Range(0, y.Length).Select(i => leftOutIn[y[i]] == folds[i]).ToArray();
        var ngrams = ExtractedNgrams.Extract(texts, settings.Features);
        Report($"{examples.Count} examples, {labels.Length} intents, {settings.Folds} folds, seed {settings.Seed}");

        var heldOutScores = new[] { new float[y.Length * labels.Length], new float[y.Length * labels.Length] };
        var search = new List<HyperParameterTrial>();
        var refit = settings.Folds;
        var matrices = new Lazy<FoldMatrices>?[settings.Folds + 1];
        for (var fold = 0; fold <= settings.Folds; fold++)
        {
            var f = fold;
            matrices[fold] = new Lazy<FoldMatrices>(() => Prepare(f), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        // Each fold's matrices (about 25 MB on BANKING77) have two users, one per member: fold 1's two searches, every
        // other fold's two fits. The last one to finish lets them go, so only the folds in flight stay in memory.
        var usersLeft = Enumerable.Repeat(2, settings.Folds + 1).ToArray();

        // Fold 1 chooses the hyper-parameters; each member's folds and its refit on all rows (slot Folds) start as soon
        // as that member's search is done. Two fits run at a time, each on one thread, so the cores are shared at this
        // one level; every result lands in its own slot, so the model is the same whatever the order.
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 2).ConcurrentScheduler;
        var factory = new TaskFactory(cancellationToken, TaskCreationOptions.None, TaskContinuationOptions.None, scheduler);
        var linearTrials = new List<HyperParameterTrial>();
        var networkTrials = new List<HyperParameterTrial>();
        var linearSearch = factory.StartNew(() =>
        {
            var (l2, scores) = SearchL2(Matrices(0), labels.Length, linearTrials, cancellationToken);
            KeepHeldOut(0, 0, scores);
            Release(0);
            Report($"chose l2={l2:G2} on fold 1 validation rows ({clock.Elapsed.TotalSeconds:F0} s)");
            return l2;
        });
        var networkSearch = factory.StartNew(() =>
        {
            var (epochs, scores) = SearchEpochs(Matrices(0), labels.Length, networkTrials, cancellationToken);
            KeepHeldOut(0, 1, scores);
            Release(0);
            Report($"chose {epochs} epochs on fold 1 validation rows ({clock.Elapsed.TotalSeconds:F0} s)");
            return epochs;
        });

        FeatureVocabulary? fullVocabulary = null;
        LinearSoftmaxModel? linear = null;
        HiddenLayerNetwork? network = null;
        var refitFirst = new[] { refit }.Concat(Enumerable.Range(1, settings.Folds - 1)).ToArray();
        var linearFits = refitFirst.Select(fold => linearSearch.ContinueWith(chosen =>
        {
            var data = Matrices(fold);
            var model = new SoftmaxRegressionTrainer(chosen.Result).Fit(data.XTrain, data.YTrain, labels.Length, cancellationToken: cancellationToken);
            if (fold == refit)
            {
                (linear, fullVocabulary) = (model, data.Vocabulary);
            }
            else
            {
                KeepHeldOut(fold, 0, model.Scores(data.XValid));
            }

            Release(fold);
        }, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, scheduler)).ToArray();
        var networkFits = refitFirst.Select(fold => networkSearch.ContinueWith(chosen =>
        {
            var data = Matrices(fold);
            var model = new HiddenLayerNetworkTrainer(settings.Network, fold == refit ? settings.Seed : settings.Seed + fold)
                .Fit(data.XTrain, data.YTrain, labels.Length, chosen.Result, cancellationToken: cancellationToken);
            if (fold == refit)
            {
                network = model;
            }
            else
            {
                KeepHeldOut(fold, 1, model.Scores(data.XValid));
            }

            Release(fold);
        }, cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, scheduler)).ToArray();
        WaitForAll([linearSearch, networkSearch, .. linearFits, .. networkFits], cancellationToken);
        var (chosenL2, chosenEpochs) = (linearSearch.Result, networkSearch.Result);
        search.AddRange(linearTrials);
        search.AddRange(networkTrials);

        FoldMatrices Prepare(int fold)
        {
            var trainRows = Enumerable.Range(0, y.Length).Where(i => fold == refit || (folds[i] != fold && leftOutIn[y[i]] != fold)).ToArray();
            var validRows = Enumerable.Range(0, y.Length).Where(i => fold != refit && folds[i] == fold).ToArray();
            var vocabulary = ngrams.Vocabulary(trainRows);
            return new FoldMatrices(
                vocabulary.Vocabulary,
                ngrams.Vectorize(vocabulary, trainRows), [.. trainRows.Select(i => y[i])],
                validRows, ngrams.Vectorize(vocabulary, validRows), [.. validRows.Select(i => y[i])],
                [.. validRows.Select(i => !unknown[i])]);
        }

        FoldMatrices Matrices(int fold) =>
            (matrices[fold] ?? throw new InvalidOperationException($"fold {fold + 1}'s matrices were already released")).Value;

        void Release(int fold)
        {
            if (Interlocked.Decrement(ref usersLeft[fold]) == 0)
            {
                Volatile.Write(ref matrices[fold], null);
            }
        }

        void KeepHeldOut(int fold, int member, float[] scores)
        {
            var validRows = Matrices(fold).ValidRows;
            for (var r = 0; r < validRows.Length; r++)
            {
                scores.AsSpan(r * labels.Length, labels.Length).CopyTo(heldOutScores[member].AsSpan(validRows[r] * labels.Length));
            }

            var data = Matrices(fold);
            Report($"fold {fold + 1}/{settings.Folds}: held-out accuracy {(member == 0 ? "linear" : "network")} "
                + $"{Accuracy(scores, data.YValid, labels.Length, data.ValidKnown):F4} ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        Report($"refitted on all {y.Length} rows ({clock.Elapsed.TotalSeconds:F0} s)");

        // Calibration sees only in-scope rows: an open-set row has no right answer among the fold model's intents.
        var known = Enumerable.Range(0, y.Length).Where(i => !unknown[i]).ToArray();
        var knownScores = heldOutScores.Select(scores => Rows(scores, known, labels.Length)).ToArray();
        var knownY = known.Select(i => y[i]).ToArray();
        var uncalibratedWeights = new[] { 0.5, 0.5 };
        var weights = StackedTemperatureScaling.Fit(knownScores, knownY, labels.Length);
        var before = StackedTemperatureScaling.Probabilities(knownScores, known.Length, labels.Length, uncalibratedWeights);
        var after = StackedTemperatureScaling.Probabilities(heldOutScores, y.Length, labels.Length, weights);
        var heldOut = Enumerable.Range(0, y.Length).Select(i =>
        {
            var row = after.AsSpan(i * labels.Length, labels.Length);
            var predicted = TensorPrimitives.IndexOfMax(row);
            return new HeldOutPrediction(folds[i], y[i], predicted, row[predicted], unknown[i]);
        }).ToList();
        var inScope = heldOut.Where(p => !p.Unknown).ToList();
        var certification = CertificationRuleBuilder.Build(heldOut, labels, settings.Certification);
        IReadOnlyList<CertificationRule> alternatives = [.. settings.AlternativeTargets
            .Where(t => t != settings.Certification.TargetPrecision && t is > 0 and < 1)
            .Distinct().Order()
            .Select(t => CertificationRuleBuilder.Build(heldOut, labels, settings.Certification with { TargetPrecision = t }))];
        var heldOutMetrics = new HeldOutMetrics
        {
            Rows = known.Length,
            OpenSetRows = y.Length - known.Length,
            Accuracy = inScope.Count(p => p.Correct) / (double)known.Length,
            MacroF1 = ClassificationMetrics.MacroF1(knownY, inScope.Select(p => p.Predicted).ToArray(), labels.Length),
            LogLossBeforeCalibration = StackedTemperatureScaling.LogLoss(knownScores, knownY, labels.Length, uncalibratedWeights),
            LogLossAfterCalibration = StackedTemperatureScaling.LogLoss(knownScores, knownY, labels.Length, weights),
            ExpectedCalibrationErrorBefore = CalibrationError.Expected(TopConfidence(before, knownY, labels.Length)),
            ExpectedCalibrationErrorAfter = CalibrationError.Expected(inScope.Select(p => (p.Confidence, p.Correct)).ToList()),
            CertifiedCoverage = certification.HeldOutCoverage,
            CertifiedPrecision = certification.HeldOutCertified == 0 ? 0
                : 1 - (certification.HeldOutCertifiedErrors / (double)certification.HeldOutCertified),
            OpenSetCertifiedRate = certification.OpenSetSamples == 0 ? 0 : certification.OpenSetCertified / (double)certification.OpenSetSamples,
        };
        Report($"held-out: accuracy {heldOutMetrics.Accuracy:F4}, macro-F1 {heldOutMetrics.MacroF1:F4}, "
            + $"ECE {heldOutMetrics.ExpectedCalibrationErrorBefore:F4} -> {heldOutMetrics.ExpectedCalibrationErrorAfter:F4}, "
            + $"certified {heldOutMetrics.CertifiedCoverage:P1} at precision {heldOutMetrics.CertifiedPrecision:P2} "
            + $"(lower bound {certification.PrecisionLowerBound:F4})");

        Report($"trained in {clock.Elapsed.TotalSeconds:F1} s");

        var training = new TrainingSummary
        {
            DataSource = dataSource,
            DataSha256 = DataHash(examples),
            Examples = examples.Count,
            Seed = settings.Seed,
            Folds = settings.Folds,
            L2Penalty = chosenL2,
            Epochs = chosenEpochs,
            HyperParameterSearch = search,
            DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        };
        var outOfFold = new StageOneHeldOut(folds, y, unknown, after);
        return TrainedRouter.Create(labels, fullVocabulary!, linear!, network!, weights, certification, alternatives, settings, training,
            heldOutMetrics, outOfFold);
    }

    private (double L2, float[] Scores) SearchL2(FoldMatrices fold, int classes, List<HyperParameterTrial> search,
        CancellationToken cancellationToken)
    {
        var (xTrain, yTrain, xValid, yValid) = (fold.XTrain, fold.YTrain, fold.XValid, fold.YValid);
        LinearSoftmaxModel? previous = null;
        (double L2, float[] Scores, double Accuracy, double LogLoss) best = (0, [], -1, double.MaxValue);
        foreach (var l2 in settings.L2Grid.OrderDescending())
        {
            // Strongest penalty first, each fit warm-started from the previous one.
            previous = new SoftmaxRegressionTrainer(l2).Fit(xTrain, yTrain, classes, previous, cancellationToken);
            var scores = previous.Scores(xValid);
            var accuracy = Accuracy(scores, yValid, classes, fold.ValidKnown);
            var logLoss = KnownLogLoss(scores, fold, classes);
            search.Add(new HyperParameterTrial("softmax-regression", $"l2={l2:G2}", accuracy, logLoss));
            Report($"  softmax regression l2={l2:G2}: validation accuracy {accuracy:F4}, log-loss {logLoss:F4}");
            if (accuracy > best.Accuracy || (accuracy == best.Accuracy && logLoss < best.LogLoss))
            {
                best = (l2, scores, accuracy, logLoss);
            }
        }

        return (best.L2, best.Scores);
    }

    private (int Epochs, float[] Scores) SearchEpochs(FoldMatrices fold, int classes, List<HyperParameterTrial> search,
        CancellationToken cancellationToken)
    {
        var (xTrain, yTrain, xValid, yValid) = (fold.XTrain, fold.YTrain, fold.XValid, fold.YValid);
        // With weight averaging only the averaged networks are candidates, and they are compared on log-loss: the
        // average trades a little raw accuracy for better-ranked confidence, which is what certification needs.
        var averaging = settings.Network.AverageFromEpoch > 0 && settings.Network.AverageFromEpoch <= settings.Network.MaxEpochs;
        (int Epochs, float[] Scores, double Accuracy, double LogLoss) best = (0, [], -1, double.MaxValue);
        new HiddenLayerNetworkTrainer(settings.Network, settings.Seed).Fit(xTrain, yTrain, classes, settings.Network.MaxEpochs,
            (epoch, network) =>
            {
                var scores = network.Scores(xValid);
                var accuracy = Accuracy(scores, yValid, classes, fold.ValidKnown);
                var logLoss = KnownLogLoss(scores, fold, classes);
                var setting = averaging && epoch >= settings.Network.AverageFromEpoch
                    ? $"epochs={epoch} (weights averaged from epoch {settings.Network.AverageFromEpoch})"
                    : $"epochs={epoch}";
                search.Add(new HyperParameterTrial("hidden-layer", setting, accuracy, logLoss));
                Report($"  hidden layer {setting}: validation accuracy {accuracy:F4}, log-loss {logLoss:F4}");
                var better = averaging
                    ? epoch >= settings.Network.AverageFromEpoch && logLoss < best.LogLoss
                    : accuracy > best.Accuracy;
                if (better)
                {
                    best = (epoch, scores, accuracy, logLoss);
                }
            }, cancellationToken);
        return (best.Epochs, best.Scores);
    }

    /// <summary>
    /// The fold each intent is left out of (open-set folds), or -1 for none: intents shuffled by the seed and dealt to
    /// the folds in turn, so every fold leaves out about the same number.
    /// </summary>
    internal static int[] LeftOutFolds(int classes, int folds, bool leaveOut, int seed)
    {
        var assignment = Enumerable.Repeat(-1, classes).ToArray();
        if (!leaveOut)
        {
            return assignment;
        }

        var order = Enumerable.Range(0, classes).ToArray();
        new Random(seed + 7919).Shuffle(order);
        for (var r = 0; r < order.Length; r++)
        {
            assignment[order[r]] = r % folds;
        }

        return assignment;
    }

    /// <summary>Assigns each row a fold so that every intent is spread evenly over the folds.</summary>
    internal static int[] StratifiedFolds(int[] labels, int classes, int folds, int seed)
    {
        var random = new Random(seed);
        var assignment = new int[labels.Length];
        var offset = 0;
        for (var k = 0; k < classes; k++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == k).ToArray();
            random.Shuffle(rows);
            for (var r = 0; r < rows.Length; r++)
            {
                assignment[rows[r]] = (offset + r) % folds;
            }

            offset += rows.Length;
        }

        return assignment;
    }

    /// <summary>SHA-256 of the examples as used (text and category per line), independent of CSV quoting or line endings.</summary>
    public static string DataHash(IReadOnlyList<LabelledText> examples)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in examples)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(example.Text.ReplaceLineEndings("\n")));
            hash.AppendData("\t"u8);
            hash.AppendData(Encoding.UTF8.GetBytes(example.Category ?? string.Empty));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Accuracy over the rows <paramref name="counted"/> marks (all when null).</summary>
    private static double Accuracy(float[] scores, int[] labels, int classes, bool[]? counted = null)
    {
        var (correct, rows) = (0, 0);
        for (var i = 0; i < labels.Length; i++)
        {
            if (counted is null || counted[i])
            {
                rows++;
                correct += TensorPrimitives.IndexOfMax(scores.AsSpan(i * classes, classes)) == labels[i] ? 1 : 0;
            }
        }

        return rows == 0 ? 0 : correct / (double)rows;
    }

    private static double KnownLogLoss(float[] scores, FoldMatrices fold, int classes)
    {
        var known = Enumerable.Range(0, fold.YValid.Length).Where(i => fold.ValidKnown[i]).ToArray();
        return StackedTemperatureScaling.LogLoss([Rows(scores, known, classes)], [.. known.Select(i => fold.YValid[i])], classes, [1.0]);
    }

    /// <summary>The given rows of a rows x classes score matrix.</summary>
    private static float[] Rows(float[] scores, int[] rows, int classes)
    {
        var subset = new float[rows.Length * classes];
        for (var r = 0; r < rows.Length; r++)
        {
            scores.AsSpan(rows[r] * classes, classes).CopyTo(subset.AsSpan(r * classes));
        }

        return subset;
    }

    private static List<(double, bool)> TopConfidence(float[] probabilities, int[] labels, int classes) =>
        [.. Enumerable.Range(0, labels.Length).Select(i =>
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var predicted = TensorPrimitives.IndexOfMax(row);
            return ((double)row[predicted], predicted == labels[i]);
        })];

    /// <summary>Waits for every fit; a failure surfaces as itself (a cancellation as <see cref="OperationCanceledException"/>).</summary>
    private static void WaitForAll(Task[] tasks, CancellationToken cancellationToken)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var failure = e.Flatten().InnerExceptions.FirstOrDefault(inner => inner is not OperationCanceledException) ?? e.Flatten().InnerExceptions[0];
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>One fold's rows as feature matrices over the vocabulary of its training rows (the refit: all rows, none held out).</summary>
    private sealed record FoldMatrices(
        FeatureVocabulary Vocabulary, SparseMatrix XTrain, int[] YTrain, int[] ValidRows, SparseMatrix XValid, int[] YValid, bool[] ValidKnown);

    private void Report(string message)
    {
        lock (_reportLock)
        {
            progress?.Report(message);
        }
    }
}
