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
    private volatile Routed? _routed;

    public bool Available => Current(null).Predictions.Count > 0;

    public string RouterVersion => Current(null).Version;

    /// <summary>Tickets of <paramref name="intent"/> auto-resolved when certified at <paramref name="targetPrecision"/> and above <paramref name="autoThreshold"/>.</summary>
    public WhatIf For(string intent, double? autoThreshold, double targetPrecision)
    {
        var (_, _, _, predictions) = Current(targetPrecision);
        var tickets = predictions.Count(p => p.Expected == intent);
        var auto = predictions
            .Where(p => p.Predicted == intent && p.Certified && p.Confidence >= (autoThreshold ?? 0))
            .ToList();
        var right = auto.Count(p => p.Expected == intent);
        return new WhatIf(tickets, right, tickets == 0 ? 0 : (double)right / tickets, auto.Count == 0 ? null : (double)right / auto.Count);
    }

    /// <summary>The golden set routed by the active version and certified at <paramref name="targetPrecision"/> (the card's own when null).</summary>
    private Routed Current(double? targetPrecision)
    {
        var card = active.Card;
        var target = targetPrecision ?? card.Certification.TargetPrecision;
        var routed = _routed;
        if (routed is not null && routed.Version == card.VersionId && Math.Abs(routed.Target - target) < 1e-12)
        {
            return routed;
        }

        // A cascade decides per target whether stage 1 answers alone, so each target is routed (and kept) anew.
        var path = Path.Combine(AppPaths.Bundled(database.Value.TenantDirectory), "golden-set.csv");
        var rows = File.Exists(path) ? LabelledTicketCsv.Read(path, requireCategory: true) : [];
        var predictions = rows.Count == 0 ? [] : active.Route([.. rows.Select(r => r.Text)], target);
        routed = new Routed(card.VersionId, target, card, [.. rows.Zip(predictions, (r, p) => (r.Category!, p.Intent, p.Confidence, p.Certified))]);
        _routed = routed;
        return routed;
    }

    private sealed record Routed(string Version, double Target, RouterModelCard Card,
        IReadOnlyList<(string Expected, string Predicted, double Confidence, bool Certified)> Predictions);
}
