using SupportConsole.Data;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Administration;

/// <summary>What an intent's auto threshold would mean on the golden set: the share auto-resolved and its precision.</summary>
public sealed record WhatIf(int Tickets, int AutoResolved, double AutoShare, double? Precision);

/// <summary>
/// The golden set routed once by the current router (cached per router version); answers "if this intent's auto
/// threshold were t, how many of its golden tickets would be auto-resolved, and how many of those rightly".
/// </summary>
public sealed class GoldenSetWhatIf(IIntentRouter router, Microsoft.Extensions.Options.IOptions<DatabaseOptions> database)
{
    private readonly Lazy<IReadOnlyList<(string Expected, string Predicted, double Confidence)>> _predictions = new(() =>
    {
        var path = Path.Combine(AppPaths.Bundled(database.Value.TenantDirectory), "golden-set.csv");
        if (!File.Exists(path))
        {
            return [];
        }

        var rows = LabelledTicketCsv.Read(path, requireCategory: true);
        var predictions = router.Route([.. rows.Select(r => r.Text)]);
        return [.. rows.Zip(predictions, (r, p) => (r.Category!, p.Intent, p.Confidence))];
    });

    public bool Available => _predictions.Value.Count > 0;

    public string RouterVersion => router.Card.VersionId;

    /// <summary>Tickets of <paramref name="intent"/> auto-resolved when certified at <paramref name="targetPrecision"/> and above <paramref name="autoThreshold"/>.</summary>
    public WhatIf For(string intent, double? autoThreshold, double targetPrecision)
    {
        var certification = router.Card.CertificationFor(targetPrecision);
        var index = router.Card.Labels.ToList().IndexOf(intent);
        var threshold = index < 0 ? null : certification.Intents[index].Threshold;
        var tickets = _predictions.Value.Count(p => p.Expected == intent);
        var auto = _predictions.Value
            .Where(p => p.Predicted == intent && threshold is { } t && p.Confidence >= t && p.Confidence >= (autoThreshold ?? 0))
            .ToList();
        var right = auto.Count(p => p.Expected == intent);
        return new WhatIf(tickets, right, tickets == 0 ? 0 : (double)right / tickets, auto.Count == 0 ? null : (double)right / auto.Count);
    }
}
