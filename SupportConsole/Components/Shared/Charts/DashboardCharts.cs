using System.Globalization;
using SupportConsole.Accounting;
using SupportConsole.Evaluation;
using SupportConsole.Reporting;
using static SupportConsole.Components.Shared.Charts.ApexOptions;

namespace SupportConsole.Components.Shared.Charts;

/// <summary>The options of every dashboard chart, built from the report rows the page read (pure functions, tested alone).</summary>
public static class DashboardCharts
{
    /// <summary>What a chart shows before its data is read.</summary>
    public static ApexOptions Empty { get; } = OverCategories([], [], ValueFormat.Count, string.Empty);

    /// <summary>How a period is named where it is one label (a one-period range, a table).</summary>
    public static string PeriodLabel(DateOnly start, Granularity granularity) => granularity switch
    {
        Granularity.Month => start.ToString("MMM yyyy", CultureInfo.InvariantCulture),
        Granularity.Week => "week of " + start.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        _ => start.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>Costs: local and cloud spend per period (stacked, USD) and cost per ticket per period ($ per 1,000 tickets).</summary>
    public static (ApexOptions Spend, ApexOptions PerTicket) Costs(IReadOnlyList<CostPeriodRow> periods, Granularity granularity, IReadOnlyList<TimelineEvent> events,
        (DateOnly From, DateOnly To)? range = null)
    {
        var spend = OverTime(bars: true,
        [
            Series("Local", periods, p => (double)p.LocalCostUsd, Palette.Blue),
            Series("Cloud", periods, p => (double)p.CloudCostUsd, Palette.Orange),
        ], ValueFormat.Usd, "USD", events, Label(granularity), stacked: true, range: range);
        var perTicket = OverTime(bars: false,
            [Series("Cost per 1,000 tickets", periods, p => p.CostPerTicketUsd is { } c ? (double)(c * 1000m) : null, Palette.Purple)],
            ValueFormat.UsdPerThousandTickets, Money.PerThousandTicketsUnit, events, Label(granularity), range: range) with { Legend = new ApexLegend(Show: false) };
        return (spend, perTicket);
    }

    /// <summary>Costs: the share of each stage in the spend.</summary>
    public static ApexOptions Stages(IReadOnlyList<StageCostRow> stages) =>
        Donut([.. stages.Select(s => s.Stage)], [.. stages.Select(s => (double)s.CostUsd)], Cycle(stages.Count), ValueFormat.Usd);

    /// <summary>Per customer: the share of spend the top 1 %, 10 %, ... of customers drive.</summary>
    public static ApexOptions Pareto(IReadOnlyList<ParetoPoint> pareto) =>
        OverCategories([.. pareto.Select(p => $"Top {p.TopShareOfCustomers.ToString("P0", CultureInfo.InvariantCulture)}")],
            [new CategorySeries("Share of AI spend", [.. pareto.Select(p => p.ShareOfSpend ?? 0)], Palette.Blue)], ValueFormat.Percent, "share of spend")
        with { Yaxis = new ApexYAxis(new ApexTitle("share of spend"), Min: 0, Max: 1), Legend = new ApexLegend(Show: false) };

    /// <summary>A customer's page: their local and cloud spend per day (stacked, USD).</summary>
    public static ApexOptions CustomerSpend(IReadOnlyList<CostPeriodRow> daily, IReadOnlyList<TimelineEvent> events, (DateOnly From, DateOnly To)? range = null) =>
        OverTime(bars: true,
        [
            Series("Local", daily, p => (double)p.LocalCostUsd, Palette.Blue),
            Series("Cloud", daily, p => (double)p.CloudCostUsd, Palette.Orange),
        ], ValueFormat.Usd, "USD", events, Label(Granularity.Day), stacked: true, range: range);

    /// <summary>Deflection: tickets per period by band (stacked) and the auto-resolved share per period.</summary>
    public static (ApexOptions Bands, ApexOptions AutoShare) Deflection(IReadOnlyList<DeflectionPeriodRow> periods, Granularity granularity,
        IReadOnlyList<TimelineEvent> events, (DateOnly From, DateOnly To)? range = null)
    {
        var bands = OverTime(bars: true,
        [
            Series("Auto", periods, p => p.Auto, Palette.Green),
            Series("Suggest", periods, p => p.Suggest, Palette.Blue),
            Series("Escalate", periods, p => p.Escalate, Palette.Red),
        ], ValueFormat.Count, "tickets", events, Label(granularity), stacked: true, range: range);
        var share = OverTime(bars: false, [Series("Auto-resolved share", periods, p => p.AutoShare, Palette.Green)],
            ValueFormat.Percent, "auto-resolved", events, Label(granularity), yMax: 1, range: range) with { Legend = new ApexLegend(Show: false) };
        return (bands, share);
    }

    /// <summary>Deflection: the band mix of the range.</summary>
    public static ApexOptions BandMix(IReadOnlyList<BandCount> bands) =>
        Donut([.. bands.Select(b => b.Band)], [.. bands.Select(b => (double)b.Tickets)], [.. bands.Select(b => BandColor(b.Band))], ValueFormat.Count);

    /// <summary>Evaluations: the main golden-set figures per run over time, with alerts and router changes marked.</summary>
    public static ApexOptions Evaluations(IReadOnlyList<EvaluationSummary> runs, IReadOnlyList<TimelineEvent> events)
    {
        TimeSeries Line(string name, Func<EvaluationSummary, double?> value, string color) =>
            new(name, [.. runs.OrderBy(r => r.FinishedAt).Select(r => (r.FinishedAt, value(r)))], color);
        return OverTime(bars: false,
        [
            Line("Router accuracy", r => r.RouterAccuracy, Palette.Blue),
            Line("Auto-resolved share", r => r.AutoResolvedShare, Palette.Green),
            Line("Bad-answer rate", r => r.BadAnswerRate, Palette.Red),
            Line("Mean groundedness", r => r.MeanGroundedness, Palette.Purple),
            Line("Retrieval recall@3", r => r.RetrievalRecallAt3, Palette.Teal),
        ], ValueFormat.Percent, "share", events, at => at.UtcDateTime.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + " UTC", yMax: 1, instants: true);
    }

    private static TimeSeries Series<T>(string name, IReadOnlyList<T> rows, Func<T, double?> value, string color)
        where T : notnull => new(name, [.. rows.Select(r => (Start(r), value(r)))], color);

    private static DateTimeOffset Start<T>(T row) => row switch
    {
        CostPeriodRow c => At(c.Start),
        DeflectionPeriodRow d => At(d.Start),
        _ => throw new ArgumentException($"no period start on {typeof(T).Name}", nameof(row)),
    };

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static Func<DateTimeOffset, string> Label(Granularity granularity) => at => PeriodLabel(DateOnly.FromDateTime(at.UtcDateTime), granularity);

    private static string BandColor(string band) => band.ToLowerInvariant() switch
    {
        "auto" => Palette.Green,
        "suggest" => Palette.Blue,
        "escalate" => Palette.Red,
        _ => Palette.Grey,
    };

    private static string[] Cycle(int count)
    {
        string[] colors = [Palette.Blue, Palette.Orange, Palette.Green, Palette.Purple, Palette.Teal, Palette.Red, Palette.Grey];
        return [.. Enumerable.Range(0, count).Select(i => colors[i % colors.Length])];
    }
}
