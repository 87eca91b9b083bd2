using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SupportConsole.Reporting;

namespace SupportConsole.Api;

/// <summary>
/// The dashboards' numbers as JSON and every dashboard table as CSV, for managers (console sign-in) and API keys with
/// reports:read. Filters: <c>from</c> and <c>to</c> as yyyy-MM-dd (UTC decision days, both inclusive; default the last
/// 30 days), optional <c>channel</c>. Bad filters get 400 problem details.
/// </summary>
public static class ReportApi
{
    public static IEndpointRouteBuilder MapReportApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1").WithTags("Reports").RequireAuthorization(ReportsPolicy.Name);
        reports.MapGet("/costs/summary", SummaryAsync);
        reports.MapGet("/costs/customers", CustomersAsync);
        reports.MapGet("/costs/customers/{customerId}", CustomerAsync);
        reports.MapGet("/deflection/summary", DeflectionAsync);
        reports.MapGet("/reports/{table}.csv", CsvAsync);
        foreach (var pattern in new[] { "/costs/summary", "/costs/customers", "/costs/customers/{customerId}", "/deflection/summary", "/reports/{table}.csv" })
        {
            reports.RefuseOtherMethods(pattern, HttpMethods.Get);
        }

        return app;
    }

    private static async Task<Results<Ok<CostSummary>, ValidationProblem>> SummaryAsync(string? from, string? to, string? channel, CostReports reports,
        TimeProvider clock, CancellationToken cancellationToken) =>
        Parse(from, to, channel, clock, out var filter) is { } problem ? problem : TypedResults.Ok(await reports.SummaryAsync(filter, cancellationToken));

    private static async Task<Results<Ok<CustomersReport>, ValidationProblem>> CustomersAsync(string? from, string? to, string? channel, CostReports reports,
        TimeProvider clock, CancellationToken cancellationToken) =>
        Parse(from, to, channel, clock, out var filter) is { } problem ? problem : TypedResults.Ok(await reports.CustomersAsync(filter, cancellationToken));

    private static async Task<Results<Ok<CustomerReport>, ValidationProblem, ProblemHttpResult>> CustomerAsync(string customerId, string? from, string? to,
        string? channel, CostReports reports, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Parse(from, to, channel, clock, out var filter) is { } problem)
        {
            return problem;
        }

        return await reports.CustomerAsync(customerId, filter, cancellationToken) is { } report
            ? TypedResults.Ok(report)
            : TypedResults.Problem($"No customer with id {customerId}.", statusCode: StatusCodes.Status404NotFound, title: "Customer not found");
    }

    private static async Task<Results<Ok<DeflectionReport>, ValidationProblem>> DeflectionAsync(string? from, string? to, string? channel, CostReports reports,
        TimeProvider clock, CancellationToken cancellationToken) =>
        Parse(from, to, channel, clock, out var filter) is { } problem ? problem : TypedResults.Ok(await reports.DeflectionAsync(filter, cancellationToken));

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> CsvAsync(string table, string? from, string? to,
        string? channel, string? granularity, string? customer, ReportTables tables, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Parse(from, to, channel, clock, out var filter) is { } problem)
        {
            return problem;
        }

        var period = Granularity.Day;
        if (!string.IsNullOrWhiteSpace(granularity) && !Enum.TryParse(granularity, ignoreCase: true, out period))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["granularity"] = ["must be day, week or month"] },
                title: "The report filter is not valid.");
        }

        if (table == "customer-tickets" && string.IsNullOrWhiteSpace(customer))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["customer"] = ["is required for customer-tickets"] },
                title: "The report filter is not valid.");
        }

        var csv = await tables.BuildAsync(table, filter, period, customer?.Trim(), cancellationToken);
        if (csv is null)
        {
            return TypedResults.Problem($"There is no report table '{table}'. Tables: {string.Join(", ", ReportTables.Names)}.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown report table");
        }

        var name = $"{table}_{filter.From:yyyy-MM-dd}_{filter.To:yyyy-MM-dd}{(filter.Channel is null ? string.Empty : "_" + filter.Channel)}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToCsv()), "text/csv; charset=utf-8", name);
    }

    private static ValidationProblem? Parse(string? from, string? to, string? channel, TimeProvider clock, out ReportFilter filter) =>
        ReportFilter.TryParse(from, to, channel, ReportFilter.Today(clock), out filter, out var errors)
            ? null
            : TypedResults.ValidationProblem(errors, title: "The report filter is not valid.",
                detail: $"Use from and to as {ReportFilter.DateFormat} (UTC days, both inclusive), from not after to, and optionally a channel.");
}
