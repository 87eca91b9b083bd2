using System.Globalization;
using System.Text;
using SupportConsole.Administration;
using SupportConsole.Components.Shared;
using SupportConsole.Identity;

namespace SupportConsole.Components.Pages.Audit;

/// <summary>
/// <c>/audit/export.csv</c>: the audit log with the page's filters as a CSV download, for managers signed in to the
/// console (a plain link: the browser downloads it). Dates are the viewer's calendar days, in the zone of their browser.
/// </summary>
public static class AuditExportEndpoint
{
    public const string Path = "/audit/export.csv";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext context, AuditQueries audit, string? action, string? actor, string? entity, string? from, string? to,
            bool? routing, CancellationToken cancellationToken) =>
        {
            var time = new ViewerTime();
            time.Use(context.Request.Cookies[ViewerTime.CookieName]);
            if (!TryDay(from, time.Zone, out var start) || !TryDay(to, time.Zone, out var endDay))
            {
                return Results.Problem("from and to are dates in the form yyyy-MM-dd.", statusCode: StatusCodes.Status400BadRequest, title: "Bad date");
            }

            var filter = new AuditFilter(action, actor, entity, start, endDay?.AddDays(1)) { IncludeRouting = routing == true };
            var table = await audit.ExportAsync(filter, time.Zone, cancellationToken);
            return Results.File(Encoding.UTF8.GetBytes(table.ToCsv()), "text/csv; charset=utf-8",
                $"audit-log{(from is null ? string.Empty : "_" + from)}{(to is null ? string.Empty : "_" + to)}.csv");
        }).RequireAuthorization(Policies.Manager);
        return app;
    }

    /// <summary>The start of a viewer's calendar day (null when none was given); false when the text is no date.</summary>
    public static bool TryDay(string? text, TimeZoneInfo zone, out DateTimeOffset? start)
    {
        start = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        start = StartOf(day, zone);
        return true;
    }

    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
