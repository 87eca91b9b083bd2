using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing;

/// <summary>How a router trained without some intents treats their tickets (which it has never seen).</summary>
public sealed record OpenSetResult
{
    public required IReadOnlyList<string> LeftOutIntents { get; init; }

    /// <summary>The known intents' test tickets, scored as usual.</summary>
    public required RouterEvaluation InScope { get; init; }

    public int OutOfScopeTickets { get; init; }

    /// <summary>Unknown-intent tickets that were certified (they should not be).</summary>
    public int OutOfScopeCertified { get; init; }

    /// <summary>Share of unknown-intent tickets that were certified.</summary>
    public double OutOfScopeCertifiedRate { get; init; }

    /// <summary>One-sided 95 % Clopper-Pearson upper bound on that share: what these tickets can promise.</summary>
    public double OutOfScopeCertifiedUpperBound { get; init; }

    public double OutOfScopeMeanConfidence { get; init; }

    /// <summary>Share of unknown-intent tickets the deciding stage's out-of-scope check flagged.</summary>
    public double OutOfScopeFlagged { get; init; }

    /// <summary>Share of unknown-intent tickets certified by stage 1 alone.</summary>
    public double OutOfScopeStageOneCertified { get; init; }

    public string? ModelVersion { get; init; }
}

/// <summary>
/// Measures open-set behaviour without new data: leaves some intents out of training entirely, then routes
/// their test tickets and counts how many the model certifies anyway.
/// </summary>
public static class OpenSetEvaluation
{
    /// <param name="trainer">Trains the router on the reduced rows into the given folder and loads it; null trains stage 1 alone.</param>
    public static OpenSetResult Run(IReadOnlyList<LabelledText> train, IReadOnlyList<LabelledText> test, int leaveOut,
        RouterTrainingSettings settings, IProgress<string>? progress, CancellationToken cancellationToken,
        Func<IReadOnlyList<LabelledText>, string, (IIntentRouter Router, string Directory)>? trainer = null)
    {
        var intents = train.Select(t => t.Category!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (leaveOut < 1 || leaveOut > intents.Count - 2)
        {
            throw new ArgumentOutOfRangeException(nameof(leaveOut), leaveOut, $"must be between 1 and {intents.Count - 2}");
        }

        var random = new Random(settings.Seed);
        var leftOut = intents.OrderBy(_ => random.Next()).Take(leaveOut).Order(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        progress?.Report($"leaving out {leaveOut} intents: {string.Join(", ", leftOut)}");
        IReadOnlyList<LabelledText> kept = [.. train.Where(t => !leftOut.Contains(t.Category!))];
        var folder = Path.Combine(Path.GetTempPath(), $"supportconsole-open-set-{Guid.NewGuid():N}");
        trainer ??= (rows, directory) =>
        {
            new RouterTrainer(settings, progress).Train(rows, "open-set training split", cancellationToken).WriteTo(directory);
            return (OnnxIntentRouter.Load(directory), directory);
        };
        try
        {
            var (router, _) = trainer(kept, folder);
            using var disposeRouter = router as IDisposable;
            var inScope = RouterEvaluator.Evaluate(router, [.. test.Where(t => !leftOut.Contains(t.Category!))], "in-scope test rows");
            var outOfScope = router.Route([.. test.Where(t => leftOut.Contains(t.Category!)).Select(t => t.Text)]);
            var certified = outOfScope.Count(p => p.Certified);
            return new OpenSetResult
            {
                LeftOutIntents = [.. leftOut],
                InScope = inScope,
                OutOfScopeTickets = outOfScope.Count,
                OutOfScopeCertified = certified,
                OutOfScopeCertifiedRate = outOfScope.Count == 0 ? 0 : certified / (double)outOfScope.Count,
                OutOfScopeCertifiedUpperBound = outOfScope.Count == 0 ? 1 : ClopperPearson.UpperBound(certified, outOfScope.Count, 0.95),
                OutOfScopeMeanConfidence = outOfScope.Count == 0 ? 0 : outOfScope.Average(p => p.Confidence),
                OutOfScopeFlagged = outOfScope.Count == 0 ? 0 : outOfScope.Count(p => p.OutOfScope) / (double)outOfScope.Count,
                OutOfScopeStageOneCertified = outOfScope.Count == 0 ? 0 : outOfScope.Count(p => p.Certified && p.Stage == 1) / (double)outOfScope.Count,
                ModelVersion = router.Card.VersionId,
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
