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
    private volatile Routed? _routed;

    public bool Available => Current().Predictions.Count > 0;

    public string RouterVersion => Current().Version;

    /// <summary>The whole policy on the golden set: every intent's tickets, auto-resolved only where the band is auto.</summary>
    public WhatIf Total(IEnumerable<IntentPolicyEdit> policies, double targetPrecision) => WhatIf.Total(policies.Select(p =>
        p.Band == Data.Entities.ConfidenceBand.Auto
            ? For(p.Intent, p.AutoThreshold, targetPrecision)
            : new WhatIf(Current().Predictions.Count(x => x.Expected == p.Intent), 0, 0, null)));

    /// <summary>Tickets of <paramref name="intent"/> auto-resolved when certified at <paramref name="targetPrecision"/> and above <paramref name="autoThreshold"/>.</summary>
    public WhatIf For(string intent, double? autoThreshold, double targetPrecision)
    {
        var (version, card, predictions) = Current();
        var certification = card.CertificationFor(targetPrecision);
        var index = card.Labels.ToList().IndexOf(intent);
        var threshold = index < 0 ? null : certification.Intents[index].Threshold;
        var tickets = predictions.Count(p => p.Expected == intent);
        var auto = predictions
            .Where(p => p.Predicted == intent && threshold is { } t && p.Confidence >= t && p.Confidence >= (autoThreshold ?? 0))
            .ToList();
        var right = auto.Count(p => p.Expected == intent);
        return new WhatIf(tickets, right, tickets == 0 ? 0 : (double)right / tickets, auto.Count == 0 ? null : (double)right / auto.Count) { Answered = auto.Count };
    }

    private Routed Current()
    {
        var card = active.Card;
        var routed = _routed;
        if (routed is not null && routed.Version == card.VersionId)
        {
            return routed;
        }

        var path = Path.Combine(AppPaths.Bundled(database.Value.TenantDirectory), "golden-set.csv");
        var rows = File.Exists(path) ? LabelledTicketCsv.Read(path, requireCategory: true) : [];
        var predictions = rows.Count == 0 ? [] : active.Route([.. rows.Select(r => r.Text)]);
        routed = new Routed(card.VersionId, card, [.. rows.Zip(predictions, (r, p) => (r.Category!, p.Intent, p.Confidence))]);
        _routed = routed;
        return routed;
    }

    private sealed record Routed(string Version, RouterModelCard Card, IReadOnlyList<(string Expected, string Predicted, double Confidence)> Predictions);
}
