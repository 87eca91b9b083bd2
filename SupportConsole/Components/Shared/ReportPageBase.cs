using Microsoft.AspNetCore.Components;
using SupportConsole.Reporting;

namespace SupportConsole.Components.Shared;

/// <summary>
/// A dashboard page: the filters live in the address (<c>?from=&amp;to=&amp;channel=&amp;period=</c>), so a page can be
/// bookmarked and its CSV links carry the same filters. Bad values show a message and load nothing.
/// </summary>
public abstract class ReportPageBase : ComponentBase
{
    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? To { get; set; }

    [SupplyParameterFromQuery(Name = "channel")]
    public string? Channel { get; set; }

    [SupplyParameterFromQuery(Name = "period")]
    public string? Period { get; set; }

    [Inject]
    protected CostReports Reports { get; set; } = default!;

    [Inject]
    protected TimeProvider Clock { get; set; } = default!;

    /// <summary>The filter the page shows (the default range when the address holds a bad one).</summary>
    protected ReportFilter Filter { get; private set; } = ReportFilter.LastDays(ReportFilter.DefaultDays, DateOnly.FromDateTime(DateTime.UtcNow));

    protected string? FilterError { get; private set; }

    protected Granularity Granularity { get; private set; }

    protected IReadOnlyList<string> Channels { get; private set; } = [];

    protected bool Loading { get; private set; } = true;

    protected DateOnly Today => ReportFilter.Today(Clock);

    protected override async Task OnParametersSetAsync()
    {
        FilterError = null;
        if (ReportFilter.TryParse(From, To, Channel, Today, out var filter, out var errors))
        {
            Filter = filter;
        }
        else
        {
            FilterError = "The filter in the address is not valid: " + string.Join(" ", errors.SelectMany(e => e.Value)) + ".";
            Filter = ReportFilter.LastDays(ReportFilter.DefaultDays, Today);
        }

        Granularity = Enum.TryParse<Granularity>(Period, ignoreCase: true, out var period) ? period
            : Filter.Days <= 45 ? Granularity.Day : Filter.Days <= 200 ? Granularity.Week : Granularity.Month;
        Loading = true;
        Channels = await Reports.ChannelsAsync();
        if (FilterError is null)
        {
            await LoadAsync(Filter);
        }

        Loading = false;
    }

    protected abstract Task LoadAsync(ReportFilter filter);

    /// <summary>The CSV export of one of the page's tables, with the page's filters.</summary>
    protected string CsvHref(string table, string? extraQuery = null) =>
        $"/api/v1/reports/{table}.csv?{Filter.ToQuery()}&granularity={Granularity.ToString().ToLowerInvariant()}{extraQuery}";

    protected static string Percent(double? share) => share is { } s ? s.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
