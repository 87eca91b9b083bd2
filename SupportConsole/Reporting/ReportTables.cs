using System.Globalization;
using System.Text;
using SupportConsole.Accounting;

namespace SupportConsole.Reporting;

/// <summary>A table of a dashboard as CSV: a header and rows of already formatted cells.</summary>
public sealed record CsvTable(string Name, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>
    /// RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line break quoted, quotes doubled. Every cell
    /// is made safe for spreadsheets first (<see cref="Neutralise"/>).
    /// </summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        void Line(IEnumerable<string> cells) => csv.AppendJoin(',', cells.Select(cell => Quote(Neutralise(cell)))).Append("\r\n");
        Line(Header);
        foreach (var row in Rows)
        {
            Line(row);
        }

        return csv.ToString();
    }

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>
    /// A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage return: ticket text such
    /// as <c>=HYPERLINK(...)</c> or <c>+cmd|...</c>) gets a leading apostrophe and is shown as the text it is. Plain
    /// numbers, negative ones included, stay numbers.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value) ? "'" + value : value;

    private static bool IsPlainNumber(string value) =>
        double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
}

/// <summary>Every table of the dashboards, by name, as the CSV exports serve them (same filters as the page).</summary>
public sealed class ReportTables(CostReports reports)
{
    public static readonly IReadOnlyList<string> Names =
    [
        "cost-periods", "cost-stages", "cost-models", "customers", "customer-tickets", "budget-alerts",
        "deflection-periods", "deflection-intents", "deflection-channels", "deflection-reasons", "deflection-response-times", "deflection-drafts",
    ];

    /// <summary>The table, or null when there is no table of that name; <paramref name="customerId"/> is for customer-tickets.</summary>
    public async Task<CsvTable?> BuildAsync(string name, ReportFilter filter, Granularity granularity, string? customerId, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "cost-periods":
            {
                var summary = await reports.SummaryAsync(filter, cancellationToken);
                return new CsvTable(name, ["period_start", "tickets", "auto_resolved", "cloud_tickets", "cost_usd", "local_cost_usd", "cloud_cost_usd", "cost_per_ticket_usd"],
                    [.. CostReports.ByPeriod(summary.Daily, granularity).Select(p => Row(p.Start, p.Tickets, p.AutoResolved, p.CloudTickets, p.CostUsd, p.LocalCostUsd,
                        p.CloudCostUsd, p.CostPerTicketUsd))]);
            }

            case "cost-stages":
            {
                var summary = await reports.SummaryAsync(filter, cancellationToken);
                return new CsvTable(name, ["stage", "receipts", "cost_usd", "cost_share"],
                    [.. summary.ByStage.Select(s => Row(s.Stage, s.Receipts, s.CostUsd, s.CostShare))]);
            }

            case "cost-models":
            {
                var summary = await reports.SummaryAsync(filter, cancellationToken);
                return new CsvTable(name, ["model", "local", "receipts", "input_tokens", "output_tokens", "cost_usd", "cost_share"],
                    [.. summary.ByModel.Select(m => Row(m.Model, m.IsLocal, m.Receipts, m.InputTokens, m.OutputTokens, m.CostUsd, m.CostShare))]);
            }

            case "customers":
            {
                var customers = await reports.CustomersAsync(filter, cancellationToken);
                return new CsvTable(name,
                    ["customer_id", "name", "plan", "tickets", "auto_resolved", "auto_resolved_share", "cost_usd", "cloud_cost_usd", "cost_per_ticket_usd",
                        "monthly_budget_usd", "warn_at_share", "over_budget_action", "month_to_date_usd", "budget_used_share"],
                    [.. customers.Customers.Select(c => Row(c.CustomerId, c.Name, c.Plan, c.Tickets, c.AutoResolved, c.AutoResolvedShare, c.CostUsd, c.CloudCostUsd,
                        c.CostPerTicketUsd, c.BudgetUsd, c.WarnAtShare, c.OverBudgetAction, c.MonthToDateUsd, c.BudgetUsedShare))]);
            }

            case "customer-tickets" when customerId is not null:
            {
                var (rows, _) = await reports.CustomerTicketsAsync(customerId, filter, 0, 10_000, cancellationToken);
                return new CsvTable(name, ["ticket_id", "decided_at", "channel", "intent", "band", "status", "cost_usd", "cloud", "receipts", "text"],
                    [.. rows.Select(t => Row(t.Id, t.DecidedAt, t.Channel, t.Intent, t.Band, t.Status, t.CostUsd, t.Cloud,
                        string.Join("; ", t.Receipts.Select(r => $"{r.Stage}:{r.Model}={r.CostUsd.ToString(CultureInfo.InvariantCulture)}")), t.Excerpt))]);
            }

            case "budget-alerts":
            {
                var alerts = await reports.AlertsAsync(customerId, filter, 10_000, cancellationToken);
                return new CsvTable(name, ["created_at", "customer_id", "customer_name", "month", "level", "spend_usd", "budget_usd", "over_budget_action", "ticket_id"],
                    [.. alerts.Select(a => Row(a.CreatedAt, a.CustomerId, a.CustomerName, a.Month, a.Level, a.SpendUsd, a.BudgetUsd, a.OverBudgetAction, a.TicketId))]);
            }
        }

        if (!name.StartsWith("deflection-", StringComparison.Ordinal) || !Names.Contains(name))
        {
            return null;
        }

        var deflection = await reports.DeflectionAsync(filter, cancellationToken);
        return name switch
        {
            "deflection-periods" => new CsvTable(name, ["period_start", "tickets", "auto", "suggest", "escalate", "auto_share"],
                [.. CostReports.ByPeriod(deflection.Daily, granularity).Select(p => Row(p.Start, p.Tickets, p.Auto, p.Suggest, p.Escalate, p.AutoShare))]),
            "deflection-intents" => new CsvTable(name,
                ["intent", "tickets", "auto", "suggest", "escalate", "auto_share", "drafts_sent", "drafts_edited", "drafts_rejected"],
                [.. deflection.Intents.Select(i => Row(i.Intent, i.Tickets, i.Auto, i.Suggest, i.Escalate, i.AutoShare, i.DraftsSent, i.DraftsEdited, i.DraftsRejected))]),
            "deflection-channels" => new CsvTable(name, ["channel", "tickets", "auto", "suggest", "escalate", "auto_share"],
                [.. deflection.Channels.Select(c => Row(c.Channel, c.Tickets, c.Auto, c.Suggest, c.Escalate, c.AutoShare))]),
            "deflection-reasons" => new CsvTable(name, ["band", "code", "tickets", "share_of_band"],
                [.. deflection.Reasons.Select(r => Row(r.Band, r.Code, r.Tickets, r.ShareOfBand))]),
            "deflection-response-times" => new CsvTable(name, ["band", "responses", "mean_seconds", "p50_seconds", "p90_seconds"],
                [.. deflection.ResponseTimes.Select(r => Row(r.Band, r.Responses, r.MeanSeconds, r.P50Seconds, r.P90Seconds))]),
            _ => new CsvTable(name, ["drafts_sent", "drafts_edited", "drafts_rejected", "edit_rate", "mean_edit_share", "reject_rate"],
                [Row(deflection.Drafts.Sent, deflection.Drafts.Edited, deflection.Drafts.Rejected, deflection.Drafts.EditRate, deflection.Drafts.MeanEditShare,
                    deflection.Drafts.RejectRate)]),
        };
    }

    private static string[] Row(params object?[] cells) => [.. cells.Select(Cell)];

    private static string Cell(object? value) => value switch
    {
        null => string.Empty,
        DateOnly day => day.ToString(ReportFilter.DateFormat, CultureInfo.InvariantCulture),
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        // Fractions at most six significant digits (ids and counts stay exact).
        double d => Money.Csv((decimal)d),
        decimal m => Money.Csv(m),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
