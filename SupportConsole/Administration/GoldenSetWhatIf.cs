using SupportConsole.Data;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Administration;

/// <summary>What an intent's auto threshold would mean on the golden set: the share auto-resolved and its precision.</summary>
public sealed record WhatIf(int Tickets, int AutoResolved, double AutoShare, double? Precision);

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

    /// <summary>Tickets of <paramref name="intent"/> auto-resolved when certified at <paramref name="targetPrecision"/> and above <paramref name="autoThreshold"/>.</summary>
    public WhatIf For(string intent, double? autoThreshold, double targetPrecision)
    {
        var predictions = Current(targetPrecision).Predictions;
        var tickets = predictions.Count(p => p.Expected == intent);
        var auto = predictions
            .Where(p => p.Predicted == intent && p.Certified && p.Confidence >= (autoThreshold ?? 0))
            .ToList();
        var right = auto.Count(p => p.Expected == intent);
        return new WhatIf(tickets, right, tickets == 0 ? 0 : (double)right / tickets, auto.Count == 0 ? null : (double)right / auto.Count);
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
