using SupportConsole.Data;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Administration;

/// <summary>
/// What an intent's auto threshold would mean on the golden set: of its <see cref="Tickets"/>, how many would be
/// auto-resolved rightly (<see cref="AutoResolved"/>, their share), and the precision of all it would answer
/// (<see cref="Answered"/>, right or wrong).
/// </summary>
public sealed record WhatIf(int Tickets, int AutoResolved, double AutoShare, double? Precision)
{
    public int Answered { get; init; }

    /// <summary>The same over several intents (the whole policy).</summary>
    public static WhatIf Total(IEnumerable<WhatIf> intents)
    {
        var list = intents.ToList();
        var tickets = list.Sum(w => w.Tickets);
        var right = list.Sum(w => w.AutoResolved);
        var answered = list.Sum(w => w.Answered);
        return new WhatIf(tickets, right, tickets == 0 ? 0 : (double)right / tickets, answered == 0 ? null : (double)right / answered) { Answered = answered };
    }
}

/// <summary>
/// The golden set routed once by the active router (again after a promotion or rollback); answers "if this intent's
/// auto threshold were t, how many of its golden tickets would be auto-resolved, and how many of those rightly".
/// </summary>
public sealed class GoldenSetWhatIf(IIntentRouter active, Microsoft.Extensions.Options.IOptions<DatabaseOptions> database)
{
    /// <summary>Targets kept routed at once (the page asks for the gate's target; a manager trying others adds a few).</summary>
    private const int RoutedTargetsKept = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<double, Routed> _routed = [];
    private IReadOnlyList<LabelledText>? _goldenSet;

    public bool Available => GoldenSet().Count > 0;

    public string RouterVersion => active.Card.VersionId;

    /// <summary>The whole policy on the golden set: every intent's tickets, auto-resolved only where the band is auto.</summary>
    public WhatIf Total(IEnumerable<IntentPolicyEdit> policies, double targetPrecision) => WhatIf.Total(policies.Select(p =>
        p.Band == Data.Entities.ConfidenceBand.Auto
            ? For(p.Intent, p.AutoThreshold, targetPrecision)
            : new WhatIf(GoldenSet().Count(x => x.Category == p.Intent), 0, 0, null)));

    /// <summary>Tickets of <paramref name="intent"/> auto-resolved when certified at <paramref name="targetPrecision"/> and above <paramref name="autoThreshold"/>.</summary>
    public WhatIf For(string intent, double? autoThreshold, double targetPrecision)
    {
        var predictions = Current(targetPrecision).Predictions;
        var tickets = predictions.Count(p => p.Expected == intent);
        var auto = predictions
            .Where(p => p.Predicted == intent && p.Certified && p.Confidence >= (autoThreshold ?? 0))
            .ToList();
        var right = auto.Count(p => p.Expected == intent);
        return new WhatIf(tickets, right, tickets == 0 ? 0 : (double)right / tickets, auto.Count == 0 ? null : (double)right / auto.Count) { Answered = auto.Count };
    }

    /// <summary>
    /// The golden set routed by the active version and certified at <paramref name="targetPrecision"/>. A cascade decides
    /// per target whether stage 1 answers alone, so each target is routed once and kept until the active version changes.
    /// </summary>
    private Routed Current(double targetPrecision)
    {
        var version = active.Card.VersionId;
        lock (_gate)
        {
            if (_routed.TryGetValue(targetPrecision, out var kept) && kept.Version == version)
            {
                return kept;
            }
        }

        var rows = GoldenSet();
        var predictions = rows.Count == 0 ? [] : active.Route([.. rows.Select(r => r.Text)], targetPrecision);
        var routed = new Routed(version, [.. rows.Zip(predictions, (r, p) => (r.Category!, p.Intent, p.Confidence, p.Certified))]);
        lock (_gate)
        {
            if (_routed.Values.Any(r => r.Version != version) || _routed.Count >= RoutedTargetsKept)
            {
                _routed.Clear();
            }

            _routed[targetPrecision] = routed;
        }

        return routed;
    }

    private IReadOnlyList<LabelledText> GoldenSet()
    {
        if (_goldenSet is { } read)
        {
            return read;
        }

        var path = Path.Combine(AppPaths.Bundled(database.Value.TenantDirectory), "golden-set.csv");
        return _goldenSet = File.Exists(path) ? LabelledTicketCsv.Read(path, requireCategory: true) : [];
    }

    private sealed record Routed(string Version, IReadOnlyList<(string Expected, string Predicted, double Confidence, bool Certified)> Predictions);
}
