using System.Text.Json;
using SupportConsole.Accounting;
using SupportConsole.Components.Shared.Charts;
using SupportConsole.Evaluation;
using SupportConsole.Reporting;

namespace SupportConsole.Tests.Components.Charts;

/// <summary>The options each dashboard chart sends to ApexCharts: series, axis type, annotations, formats.</summary>
public sealed class DashboardChartsTests
{
    private static readonly DateOnly Day = new(2026, 11, 1);

    private static readonly TimelineEvent[] Events =
    [
        new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero), TimelineEvent.KillSwitchEngaged, "Kill switch engaged"),
        new(new DateTimeOffset(2026, 11, 4, 9, 0, 0, TimeSpan.Zero), TimelineEvent.KillSwitchReleased, "Kill switch released"),
    ];

    [Fact]
    public void CostsAreStackedLocalAndCloudBarsOnATimeAxisWithTheTimelineAnnotated()
    {
        var (spend, perTicket) = DashboardCharts.Costs(CostDays(30), Granularity.Day, Events);

        using var json = JsonDocument.Parse(spend.ToJson());
        var root = json.RootElement;
        Assert.Equal("bar", root.GetProperty("chart").GetProperty("type").GetString());
        Assert.True(root.GetProperty("chart").GetProperty("stacked").GetBoolean());
        Assert.True(root.GetProperty("chart").GetProperty("zoom").GetProperty("enabled").GetBoolean());
        Assert.Equal("datetime", root.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal(["Local", "Cloud"], root.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var first = root.GetProperty("series")[0].GetProperty("data")[0];
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), first[0].GetInt64());
        Assert.Equal(30, root.GetProperty("series")[0].GetProperty("data").GetArrayLength());
        Assert.Equal("usd", root.GetProperty("format").GetString());
        var annotations = root.GetProperty("annotations").GetProperty("xaxis");
        Assert.Equal(2, annotations.GetArrayLength());
        Assert.Equal("Kill switch engaged", annotations[0].GetProperty("label").GetProperty("text").GetString());
        Assert.Equal(TimelineEvent.KillSwitchEngaged, annotations[0].GetProperty("kind").GetString());
        // An event on a chart of UTC days stands on its day's bar, drawn around the day's midnight.
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), annotations[0].GetProperty("x").GetInt64());

        using var line = JsonDocument.Parse(perTicket.ToJson());
        Assert.Equal("line", line.RootElement.GetProperty("chart").GetProperty("type").GetString());
        Assert.Equal("usdPerThousandTickets", line.RootElement.GetProperty("format").GetString());
        Assert.Equal(Money.PerThousandTicketsUnit, line.RootElement.GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());

        // $0.0004 a ticket is $0.40 per 1,000 tickets.
        Assert.Equal(0.4, line.RootElement.GetProperty("series")[0].GetProperty("data")[0][1].GetDouble(), 6);
    }

    [Fact]
    public void AnEventInTheAfternoonOfTheRangesLastDayIsInsideTheAxis()
    {
        var lastDay = Day.AddDays(29);
        TimelineEvent[] late = [new(new DateTimeOffset(lastDay.ToDateTime(new TimeOnly(18, 30)), TimeSpan.Zero), TimelineEvent.KillSwitchEngaged, "Kill switch engaged")];

        using var json = JsonDocument.Parse(DashboardCharts.Costs(CostDays(30), Granularity.Day, late, (Day, lastDay)).Spend.ToJson());

        var xaxis = json.RootElement.GetProperty("xaxis");
        var x = json.RootElement.GetProperty("annotations").GetProperty("xaxis")[0].GetProperty("x").GetInt64();
        Assert.InRange(x, xaxis.GetProperty("min").GetInt64(), xaxis.GetProperty("max").GetInt64());
    }

    [Fact]
    public void AOneDayRangeIsOneBarPerSeriesNotAnEmptyLine()
    {
        var (spend, perTicket) = DashboardCharts.Costs(CostDays(1), Granularity.Day, Events);

        foreach (var options in new[] { spend, perTicket })
        {
            using var json = JsonDocument.Parse(options.ToJson());
            Assert.Equal("bar", json.RootElement.GetProperty("chart").GetProperty("type").GetString());
            Assert.Equal("category", json.RootElement.GetProperty("xaxis").GetProperty("type").GetString());
            Assert.Equal(["1 Nov 2026"], json.RootElement.GetProperty("xaxis").GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
            Assert.All(json.RootElement.GetProperty("series").EnumerateArray(), s => Assert.Equal(1, s.GetProperty("data").GetArrayLength()));
        }
    }

    [Fact]
    public void DeflectionHasThreeBandsAndAShareLineCappedAtOne()
    {
        var periods = Enumerable.Range(0, 12).Select(i => new DeflectionPeriodRow(Day.AddDays(7 * i), 10, 6, 3, 1, 0.6)).ToList();

        var (bands, share) = DashboardCharts.Deflection(periods, Granularity.Week, Events);

        using var b = JsonDocument.Parse(bands.ToJson());
        Assert.Equal(["Auto", "Suggest", "Escalate"], b.RootElement.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("datetime", b.RootElement.GetProperty("xaxis").GetProperty("type").GetString());
        using var s = JsonDocument.Parse(share.ToJson());
        Assert.Equal("percent", s.RootElement.GetProperty("format").GetString());
        Assert.Equal(1, s.RootElement.GetProperty("yaxis").GetProperty("max").GetDouble());
        Assert.Equal(2, s.RootElement.GetProperty("annotations").GetProperty("xaxis").GetArrayLength());
    }

    [Fact]
    public void TheBandMixAndTheStagesAreDonutsWithTheirLabels()
    {
        var mix = DashboardCharts.BandMix([new BandCount("auto", 6, 0.6), new BandCount("suggest", 3, 0.3), new BandCount("escalate", 1, 0.1)]);
        var stages = DashboardCharts.Stages([new StageCostRow("route", 10, 0.001m, 0.5), new StageCostRow("draft", 10, 0.001m, 0.5)]);

        using var m = JsonDocument.Parse(mix.ToJson());
        Assert.Equal("donut", m.RootElement.GetProperty("chart").GetProperty("type").GetString());
        Assert.Equal([6.0, 3.0, 1.0], m.RootElement.GetProperty("series").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["auto", "suggest", "escalate"], m.RootElement.GetProperty("labels").EnumerateArray().Select(v => v.GetString()));
        using var st = JsonDocument.Parse(stages.ToJson());
        Assert.Equal("usd", st.RootElement.GetProperty("format").GetString());
        Assert.Equal(2, st.RootElement.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public void TheParetoIsOneBarSeriesOverItsCategoriesAsShares()
    {
        var pareto = DashboardCharts.Pareto([new ParetoPoint(0.01, 2, 0.2), new ParetoPoint(0.1, 20, 0.55), new ParetoPoint(0.5, 100, 0.9)]);

        using var json = JsonDocument.Parse(pareto.ToJson());
        Assert.Equal("category", json.RootElement.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal(["Top 1 %", "Top 10 %", "Top 50 %"], json.RootElement.GetProperty("xaxis").GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal([0.2, 0.55, 0.9], json.RootElement.GetProperty("series")[0].GetProperty("data").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("percent", json.RootElement.GetProperty("format").GetString());
    }

    [Fact]
    public void ACustomersSpendIsStackedPerDayAndEvaluationsAreFiveLinesOverRunTimes()
    {
        using var customer = JsonDocument.Parse(DashboardCharts.CustomerSpend(CostDays(90), []).ToJson());
        Assert.Equal(2, customer.RootElement.GetProperty("series").GetArrayLength());
        Assert.Equal(90, customer.RootElement.GetProperty("series")[1].GetProperty("data").GetArrayLength());
        Assert.Empty(customer.RootElement.GetProperty("annotations").GetProperty("xaxis").EnumerateArray());
        // Days are UTC days (as the rollups count them), and the axis says so.
        Assert.True(customer.RootElement.GetProperty("xaxis").GetProperty("labels").GetProperty("datetimeUTC").GetBoolean());
        Assert.Equal("UTC days", customer.RootElement.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());

        var runs = Enumerable.Range(0, 3).Select(i => Run(new DateTimeOffset(2026, 11, 1 + i, 3, 0, 0, TimeSpan.Zero), 0.9 + (i * 0.01))).ToList();
        var alert = new TimelineEvent(runs[1].FinishedAt, TimelineEvent.EvaluationAlert, "Evaluation alert");
        using var evaluations = JsonDocument.Parse(DashboardCharts.Evaluations(runs, [alert]).ToJson());
        Assert.Equal(5, evaluations.RootElement.GetProperty("series").GetArrayLength());
        Assert.Equal("datetime", evaluations.RootElement.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal(0.92, evaluations.RootElement.GetProperty("series")[0].GetProperty("data")[2][1].GetDouble(), 6);
        Assert.Equal(TimelineEvent.EvaluationAlert, evaluations.RootElement.GetProperty("annotations").GetProperty("xaxis")[0].GetProperty("kind").GetString());
        Assert.Equal(alert.At.ToUnixTimeMilliseconds(), evaluations.RootElement.GetProperty("annotations").GetProperty("xaxis")[0].GetProperty("x").GetInt64());
        // Runs and their alerts are instants: drawn in the viewer's own time zone.
        Assert.False(evaluations.RootElement.GetProperty("xaxis").GetProperty("labels").GetProperty("datetimeUTC").GetBoolean());
        Assert.Equal("your time zone", evaluations.RootElement.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
    }

    private static List<CostPeriodRow> CostDays(int days) =>
        [.. Enumerable.Range(0, days).Select(i => new CostPeriodRow(Day.AddDays(i), 100, 60, 2, 0.04m, 0.03m, 0.01m, 0.0004m))];

    private static EvaluationSummary Run(DateTimeOffset at, double accuracy) => new(
        Guid.NewGuid(), "schedule", at, "router-1", "kb-1", 1, 462, accuracy, 0.9, 0.8, 0.98, 0.6, 0.01, 200, 2, 1.0, 0.95, 0.99, 2.0, 9.0, false, null, false);
}
