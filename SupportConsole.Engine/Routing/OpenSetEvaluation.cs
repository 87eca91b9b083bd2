using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing;

/// <summary>How a router trained without some intents treats their tickets (which it has never seen).</summary>
public sealed record OpenSetResult
{
    public required IReadOnlyList<string> LeftOutIntents { get; init; }

    /// <summary>The known intents' test tickets, scored as usual.</summary>
    public required RouterEvaluation InScope { get; init; }

    public int OutOfScopeTickets { get; init; }

    /// <summary>Share of unknown-intent tickets that were certified (they should not be).</summary>
    public double OutOfScopeCertifiedRate { get; init; }

    public double OutOfScopeMeanConfidence { get; init; }
}

/// <summary>
/// Measures open-set behaviour without new data: leaves some intents out of training entirely, then routes
/// their test tickets and counts how many the model certifies anyway.
/// </summary>
public static class OpenSetEvaluation
{
    public static OpenSetResult Run(IReadOnlyList<LabelledText> train, IReadOnlyList<LabelledText> test, int leaveOut,
        RouterTrainingSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var intents = train.Select(t => t.Category!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (leaveOut < 1 || leaveOut > intents.Count - 2)
        {
            throw new ArgumentOutOfRangeException(nameof(leaveOut), leaveOut, $"must be between 1 and {intents.Count - 2}");
        }

        var random = new Random(settings.Seed);
        var leftOut = intents.OrderBy(_ => random.Next()).Take(leaveOut).Order(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        progress?.Report($"leaving out {leaveOut} intents: {string.Join(", ", leftOut)}");
        var trained = new RouterTrainer(settings, progress)
            .Train([.. train.Where(t => !leftOut.Contains(t.Category!))], "open-set training split", cancellationToken);

        var folder = Path.Combine(Path.GetTempPath(), $"supportconsole-open-set-{Guid.NewGuid():N}");
        try
        {
            trained.WriteTo(folder);
            using var router = OnnxIntentRouter.Load(folder);
            var inScope = RouterEvaluator.Evaluate(router, [.. test.Where(t => !leftOut.Contains(t.Category!))], "in-scope test rows");
            var outOfScope = router.Route([.. test.Where(t => leftOut.Contains(t.Category!)).Select(t => t.Text)]);
            return new OpenSetResult
            {
                LeftOutIntents = [.. leftOut],
                InScope = inScope,
                OutOfScopeTickets = outOfScope.Count,
                OutOfScopeCertifiedRate = outOfScope.Count == 0 ? 0 : outOfScope.Count(p => p.Certified) / (double)outOfScope.Count,
                OutOfScopeMeanConfidence = outOfScope.Count == 0 ? 0 : outOfScope.Average(p => p.Confidence),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
