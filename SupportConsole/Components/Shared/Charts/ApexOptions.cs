using System.Text.Json;
using System.Text.Json.Serialization;
using SupportConsole.Accounting;
using SupportConsole.Reporting;

namespace SupportConsole.Components.Shared.Charts;

/// <summary>How a chart's values read: on its axis, in its tooltip and beside it (one format everywhere: <see cref="Money"/>).</summary>
public enum ValueFormat
{
    Count,

    /// <summary>Dollars and cents (totals).</summary>
    Usd,

    /// <summary>Dollars per 1,000 tickets (small per-ticket amounts in one labelled unit).</summary>
    UsdPerThousandTickets,

    /// <summary>A share 0..1 shown as a percentage.</summary>
    Percent,
}

/// <summary>A line or bar series over time: one value per UTC day (or week, month) or instant, in time order.</summary>
public sealed record TimeSeries(string Name, IReadOnlyList<(DateTimeOffset At, double? Value)> Points, string Color);

/// <summary>A series over categories (bars) in category order.</summary>
public sealed record CategorySeries(string Name, IReadOnlyList<double> Values, string Color);

/// <summary>
/// The options of one ApexCharts chart as C# records, serialised to the library's JSON (camelCase, nulls left out).
/// Functions cannot travel in JSON: value formats travel by name (<see cref="ValueFormat"/>) and the interop module
/// turns them into ApexCharts formatters. Build them with <see cref="OverTime"/>, <see cref="OverCategories"/> and
/// <see cref="Donut"/>.
/// </summary>
public sealed record ApexOptions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Text colour of axes, legends and titles: #37474f on white is 10:1, past WCAG AA's 4.5:1.</summary>
    public const string TextColor = "#37474f";

    /// <summary>Series colours, dark enough to read as text too (each 4.5:1 or more on white).</summary>
    public static class Palette
    {
        public const string Blue = "#1565c0";
        public const string Orange = "#b04a00";
        public const string Green = "#2e7d32";
        public const string Red = "#c62828";
        public const string Purple = "#6a1b9a";
        public const string Teal = "#00695c";
        public const string Grey = "#546e7a";
    }

    public required ApexChartSection Chart { get; init; }

    /// <summary><see cref="ApexSeries"/> per series, or plain numbers for a donut.</summary>
    public required object Series { get; init; }

    public string[]? Labels { get; init; }

    public string[]? Colors { get; init; }

    public ApexXAxis? Xaxis { get; init; }

    public ApexYAxis? Yaxis { get; init; }

    public ApexAnnotations? Annotations { get; init; }

    public ApexLegend Legend { get; init; } = new();

    public ApexToggle DataLabels { get; init; } = new(false);

    public ApexStroke? Stroke { get; init; }

    public ApexMarkers? Markers { get; init; }

    public ApexPlotOptions? PlotOptions { get; init; }

    public ApexNoData NoData { get; init; } = new("No data in this range");

    /// <summary>Read by the interop module, not by ApexCharts: the value format of axis labels and tooltips.</summary>
    public ValueFormat Format { get; init; }

    /// <summary>Below this width (px) the legend goes under the chart and the y axis title is dropped (phones, 390 px).</summary>
    public int NarrowWidth { get; init; } = 600;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// A time series chart (lines, or bars stacked per period) on a datetime axis spanning <paramref name="range"/> (the
    /// filter's days; else the points'), whose ticks ApexCharts chooses for the range and width, with zoom and pan, and
    /// the timeline's events as annotations. A one-day range is one bar per series on a category axis; fewer than two
    /// points are bars, never a line with nothing to join.
    /// </summary>
    /// <remarks>
    /// Periods (days, weeks, months) are UTC days, as the rollups count them: the axis says so. Points at instants (an
    /// evaluation run) are drawn with <paramref name="instants"/> in the browser's own time zone, to the minute.
    /// </remarks>
    public static ApexOptions OverTime(bool bars, IReadOnlyList<TimeSeries> series, ValueFormat format, string yTitle,
        IReadOnlyList<TimelineEvent> events, Func<DateTimeOffset, string> periodLabel, bool stacked = false, double? yMax = null,
        (DateOnly From, DateOnly To)? range = null, bool instants = false)
    {
        var periods = series.SelectMany(s => s.Points.Select(p => p.At)).Distinct().Count();
        bars |= periods < 2;
        if (periods == 1 && (range is null || range.Value.From == range.Value.To))
        {
            var at = series.SelectMany(s => s.Points).First().At;
            return OverCategories([periodLabel(at)], [.. series.Select(s => new CategorySeries(s.Name, [s.Points[0].Value ?? 0], s.Color))],
                format, yTitle, stacked) with { Annotations = null };
        }

        return new ApexOptions
        {
            Chart = new ApexChartSection(bars ? "bar" : "line", Stacked: stacked, Zoom: new ApexZoom(true)),
            Series = series.Select(s => new ApexSeries(s.Name, s.Points.Select(p => new double?[] { p.At.ToUnixTimeMilliseconds(), p.Value }).ToArray())).ToArray(),
            Colors = [.. series.Select(s => s.Color)],
            Xaxis = new ApexXAxis("datetime", Labels: new ApexAxisLabels(DatetimeUtc: !instants, HideOverlappingLabels: true, Rotate: 0))
            {
                Title = new ApexTitle(instants ? "your time zone" : "UTC days"),
                // Half a day either side, so the first and last days' bars are whole.
                Min = range is { } r ? new DateTimeOffset(r.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(-12).ToUnixTimeMilliseconds() : null,
                Max = range is { } s ? new DateTimeOffset(s.To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(12).ToUnixTimeMilliseconds() : null,
            },
            Yaxis = new ApexYAxis(new ApexTitle(yTitle), Min: 0, Max: yMax, ForceNiceScale: true),
            Annotations = new ApexAnnotations([.. events.Select(e => Annotation(e, atItsDay: !instants))]),
            Stroke = bars ? null : new ApexStroke(2, "straight"),
            Markers = bars ? null : new ApexMarkers(3),
            PlotOptions = bars ? new ApexPlotOptions(new ApexBar("70%")) : null,
            Format = format,
        };
    }

    /// <summary>Bars over categories (a Pareto, one period).</summary>
    public static ApexOptions OverCategories(IReadOnlyList<string> categories, IReadOnlyList<CategorySeries> series, ValueFormat format, string yTitle,
        bool stacked = false) => new()
        {
            Chart = new ApexChartSection("bar", Stacked: stacked),
            Series = series.Select(s => new ApexSeries(s.Name, s.Values.ToArray())).ToArray(),
            Colors = [.. series.Select(s => s.Color)],
            Xaxis = new ApexXAxis("category", Categories: [.. categories], Labels: new ApexAxisLabels(HideOverlappingLabels: true, Rotate: -45)),
            Yaxis = new ApexYAxis(new ApexTitle(yTitle), Min: 0, ForceNiceScale: true),
            PlotOptions = new ApexPlotOptions(new ApexBar(categories.Count == 1 ? "30%" : "70%")),
            Format = format,
        };

    /// <summary>Shares of a whole, labelled.</summary>
    public static ApexOptions Donut(IReadOnlyList<string> labels, IReadOnlyList<double> values, IReadOnlyList<string> colors, ValueFormat format) => new()
    {
        Chart = new ApexChartSection("donut"),
        Series = values.ToArray(),
        Labels = [.. labels],
        Colors = [.. colors],
        Format = format,
    };

    /// <summary>
    /// A vertical line at the event, labelled, in the event's colour (white text on it: 4.5:1 or more). On a chart of
    /// UTC days it stands on its day's bar (each day is drawn around its midnight, half a day either side), so an event
    /// in the afternoon of the last day stays inside the axis.
    /// </summary>
    private static ApexXAnnotation Annotation(TimelineEvent e, bool atItsDay) => new(
        atItsDay ? new DateTimeOffset(e.At.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds() : e.At.ToUnixTimeMilliseconds(),
        TimelineEvent.ColorOf(e.Kind),
        new ApexAnnotationLabel(e.Label, TimelineEvent.ColorOf(e.Kind), new ApexLabelStyle("#ffffff", TimelineEvent.ColorOf(e.Kind))),
        e.Kind);
}

public sealed record ApexChartSection(
    string Type,
    bool Stacked = false,
    ApexZoom? Zoom = null,
    string ForeColor = ApexOptions.TextColor,
    string FontFamily = "system-ui, sans-serif")
{
    public ApexToggle Animations { get; init; } = new(false);

    public ApexToolbar Toolbar { get; init; } = new(Zoom?.Enabled == true);
}

public sealed record ApexZoom(bool Enabled, string Type = "x");

public sealed record ApexToolbar(bool Show)
{
    /// <summary>Zoom, pan and reset; no download menu (nothing a person needs to leave the page for).</summary>
    public object Tools { get; init; } = new { download = false, selection = true, zoom = true, zoomin = true, zoomout = true, pan = true, reset = true };
}

public sealed record ApexToggle(bool Enabled);

public sealed record ApexSeries(string Name, object Data);

public sealed record ApexXAxis(string Type, string[]? Categories = null, ApexAxisLabels? Labels = null)
{
    public ApexTitle? Title { get; init; }

    public long? Min { get; init; }

    public long? Max { get; init; }
}

public sealed record ApexAxisLabels(bool? DatetimeUtc = null, bool HideOverlappingLabels = true, int Rotate = 0)
{
    [JsonPropertyName("datetimeUTC")]
    public bool? DatetimeUtc { get; init; } = DatetimeUtc;
}

public sealed record ApexYAxis(ApexTitle Title, double? Min = null, double? Max = null, bool ForceNiceScale = true);

public sealed record ApexTitle(string Text);

public sealed record ApexAnnotations(IReadOnlyList<ApexXAnnotation> Xaxis);

/// <summary>An x-axis annotation; <c>Kind</c> is ours (the module sets it as a CSS class, the tests find it by it).</summary>
public sealed record ApexXAnnotation(long X, string BorderColor, ApexAnnotationLabel Label, string Kind);

/// <summary>Vertical text along the line: labels near the right edge are not cut off, and neighbours do not cover each other.</summary>
public sealed record ApexAnnotationLabel(string Text, string BorderColor, ApexLabelStyle Style, string Orientation = "vertical");

public sealed record ApexLabelStyle(string Color, string Background);

public sealed record ApexLegend(bool Show = true, string Position = "top", string HorizontalAlign = "left");

public sealed record ApexStroke(double Width, string Curve);

public sealed record ApexMarkers(double Size);

public sealed record ApexPlotOptions(ApexBar Bar);

public sealed record ApexBar(string ColumnWidth);

public sealed record ApexNoData(string Text);
