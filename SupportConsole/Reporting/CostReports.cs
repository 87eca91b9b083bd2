using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Accounting;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Accounting;
using SupportConsole.Tickets;

namespace SupportConsole.Reporting;

/// <summary>
/// The dashboards' queries. Everything but the drill-down's ticket list reads the daily rollups (a few thousand rows for
/// months of traffic), never the receipts, so the dashboards stay fast at any volume; sums stay in nano-dollars until
/// they are shown.
/// </summary>
public sealed class CostReports(IDbContextFactory<SupportConsoleDbContext> contexts, IOptionsMonitor<ReportingOptions> options, TimeProvider clock)
{
    private static readonly string[] BandOrder = [nameof(ConfidenceBand.Auto), nameof(ConfidenceBand.Suggest), nameof(ConfidenceBand.Escalate)];

    public async Task<IReadOnlyList<string>> ChannelsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The smallest rollup that holds every channel (a few rows per day).
        return await db.DailyStageCosts.Select(r => r.Channel).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
    }

    public async Task<CostSummary> SummaryAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        var prices = options.CurrentValue;
        var (from, to, channel) = (filter.From, filter.To, filter.Channel);
        var ticketsQuery = ReadAsync(db => db.DailyIntentStats.AsNoTracking()
            .Where(r => r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel))
            .GroupBy(r => new { r.Day, r.Band })
            .Select(g => new { g.Key.Day, g.Key.Band, Tickets = g.Sum(r => r.Tickets), Cloud = g.Sum(r => r.CloudTickets) })
            .ToListAsync(cancellationToken), cancellationToken);
        var stagesQuery = ReadAsync(db => db.DailyStageCosts.AsNoTracking()
            .Where(r => r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel))
            .GroupBy(r => new { r.Day, r.Stage, r.Model, r.IsLocal })
            .Select(g => new
            {
                g.Key.Day,
                g.Key.Stage,
                g.Key.Model,
                g.Key.IsLocal,
                Receipts = g.Sum(r => r.Receipts),
                Cost = g.Sum(r => r.CostNanosUsd),
                Input = g.Sum(r => r.InputTokens),
                Output = g.Sum(r => r.OutputTokens),
            })
            .ToListAsync(cancellationToken), cancellationToken);
        var tickets = await ticketsQuery;
        var stages = await stagesQuery;

        var ticketCount = tickets.Sum(t => t.Tickets);
        var cloudTickets = tickets.Sum(t => t.Cloud);
        var autoResolved = tickets.Where(t => t.Band == ConfidenceBand.Auto).Sum(t => t.Tickets);
        var costNanos = stages.Sum(s => s.Cost);
        var localNanos = stages.Where(s => s.IsLocal).Sum(s => s.Cost);
        var cost = Money.Usd(costNanos);
        var frontier = ticketCount * prices.FrontierCostPerTicketUsd;
        var vendor = autoResolved * prices.VendorFeePerResolutionUsd;

        var byStage = stages.GroupBy(s => s.Stage).OrderBy(g => Stages.Position(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StageCostRow(g.Key, g.Sum(s => s.Receipts), Money.Usd(g.Sum(s => s.Cost)), Share(g.Sum(s => s.Cost), costNanos) ?? 0))
            .ToList();
        var byModel = stages.GroupBy(s => (s.Model, s.IsLocal)).OrderByDescending(g => g.Sum(s => s.Cost)).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new ModelCostRow(g.Key.Model, g.Key.IsLocal, g.Sum(s => s.Receipts), g.Sum(s => s.Input), g.Sum(s => s.Output),
                Money.Usd(g.Sum(s => s.Cost)), Share(g.Sum(s => s.Cost), costNanos) ?? 0))
            .ToList();
        var ticketsByDay = tickets.GroupBy(t => t.Day).ToDictionary(g => g.Key, g => (
            Tickets: g.Sum(t => t.Tickets), Auto: g.Where(t => t.Band == ConfidenceBand.Auto).Sum(t => t.Tickets), Cloud: g.Sum(t => t.Cloud)));
        var costByDay = stages.GroupBy(s => s.Day).ToDictionary(g => g.Key, g => (
            Local: g.Where(s => s.IsLocal).Sum(s => s.Cost), Cloud: g.Where(s => !s.IsLocal).Sum(s => s.Cost)));
        var daily = ticketsByDay.Keys.Union(costByDay.Keys).Order().Select(day =>
        {
            var t = ticketsByDay.GetValueOrDefault(day);
            var c = costByDay.GetValueOrDefault(day);
            return new CostPeriodRow(day, t.Tickets, t.Auto, t.Cloud, Money.Usd(c.Local + c.Cloud), Money.Usd(c.Local), Money.Usd(c.Cloud),
                t.Tickets == 0 ? null : Money.Usd(c.Local + c.Cloud) / t.Tickets);
        }).ToList();

        return new CostSummary(
            from, to, channel,
            ticketCount,
            cost,
            costNanos,
            Money.Usd(localNanos),
            Money.Usd(costNanos - localNanos),
            cloudTickets,
            ticketCount == 0 ? null : 1 - (cloudTickets / (double)ticketCount),
            ticketCount == 0 ? null : cost / ticketCount,
            autoResolved,
            ticketCount == 0 ? null : autoResolved / (double)ticketCount,
            autoResolved == 0 ? null : cost / autoResolved,
            prices.FrontierCostPerTicketUsd,
            frontier,
            frontier - cost,
            prices.VendorFeePerResolutionUsd,
            vendor,
            vendor - cost,
            prices.HumanAnswerCostUsd,
            autoResolved * prices.HumanAnswerCostUsd,
            byStage,
            byModel,
            daily);
    }

    public async Task<CustomersReport> CustomersAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        var (from, to, channel) = (filter.From, filter.To, filter.Channel);
        var now = clock.GetUtcNow();
        var month = BudgetGuard.MonthOf(now);
        var today = RollupContributions.DayOf(now);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stats = await db.DailyCustomerStats.AsNoTracking()
            .Where(r => r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel))
            .GroupBy(r => r.CustomerId)
            .Select(g => new
            {
                CustomerId = g.Key,
                Tickets = g.Sum(r => r.Tickets),
                Auto = g.Sum(r => r.AutoResolved),
                Cost = g.Sum(r => r.CostNanosUsd),
                Cloud = g.Sum(r => r.CloudCostNanosUsd),
            })
            .ToListAsync(cancellationToken);
        var budgets = await db.CustomerBudgets.AsNoTracking().ToDictionaryAsync(b => b.CustomerId, cancellationToken);
        var budgeted = budgets.Keys.ToList();
        var monthToDate = await db.DailyCustomerStats.AsNoTracking()
            .Where(r => r.Day >= monthStart && r.Day <= today && budgeted.Contains(r.CustomerId))
            .GroupBy(r => r.CustomerId)
            .Select(g => new { CustomerId = g.Key, Cost = g.Sum(r => r.CostNanosUsd) })
            .ToDictionaryAsync(r => r.CustomerId, r => r.Cost, cancellationToken);
        var ids = stats.Select(s => s.CustomerId).Union(budgeted).ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Plan }).ToDictionaryAsync(c => c.Id, cancellationToken);

        var byId = stats.ToDictionary(s => s.CustomerId);
        var rows = ids.Select(id =>
        {
            var s = byId.GetValueOrDefault(id);
            var customer = customers.GetValueOrDefault(id);
            var budget = budgets.GetValueOrDefault(id);
            var spent = monthToDate.GetValueOrDefault(id);
            long tickets = s?.Tickets ?? 0, auto = s?.Auto ?? 0, cost = s?.Cost ?? 0;
            return new CustomerCostRow(id, customer?.Name, customer?.Plan, tickets, auto, tickets == 0 ? null : auto / (double)tickets,
                Money.Usd(cost), Money.Usd(s?.Cloud ?? 0), tickets == 0 ? null : Money.Usd(cost) / tickets,
                budget?.MonthlyBudgetUsd, budget?.WarnAtShare, budget?.OverBudgetAction.ToString(),
                budget is null ? null : Money.Usd(spent),
                budget is null ? null : budget.MonthlyBudgetUsd == 0 ? 1 : (double)(Money.Usd(spent) / budget.MonthlyBudgetUsd));
        }).OrderByDescending(r => r.CostUsd).ThenByDescending(r => r.Tickets).ThenBy(r => r.CustomerId, StringComparer.Ordinal).ToList();

        var totalNanos = stats.Sum(s => s.Cost);
        var spenders = stats.Where(s => s.Tickets > 0).Select(s => s.Cost).OrderDescending().ToList();
        var pareto = new[] { 0.01, 0.1, 0.2, 0.5 }.Select(p =>
        {
            var k = spenders.Count == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(p * spenders.Count));
            return new ParetoPoint(p, k, Share(spenders.Take(k).Sum(), totalNanos));
        }).ToList();
        return new CustomersReport(from, to, channel, month, rows.Count, stats.Sum(s => s.Tickets), Money.Usd(totalNanos), pareto, rows);
    }

    public async Task<CustomerReport?> CustomerAsync(string customerId, ReportFilter filter, CancellationToken cancellationToken = default)
    {
        var (from, to, channel) = (filter.From, filter.To, filter.Channel);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var days = await db.DailyCustomerStats.AsNoTracking()
            .Where(r => r.CustomerId == customerId && r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel))
            .GroupBy(r => r.Day)
            .Select(g => new
            {
                Day = g.Key,
                Tickets = g.Sum(r => r.Tickets),
                Auto = g.Sum(r => r.AutoResolved),
                Cloud = g.Sum(r => r.CloudTickets),
                Cost = g.Sum(r => r.CostNanosUsd),
                CloudCost = g.Sum(r => r.CloudCostNanosUsd),
            })
            .OrderBy(r => r.Day)
            .ToListAsync(cancellationToken);
        var daily = days.Select(d => new CostPeriodRow(d.Day, d.Tickets, d.Auto, d.Cloud, Money.Usd(d.Cost), Money.Usd(d.Cost - d.CloudCost),
            Money.Usd(d.CloudCost), d.Tickets == 0 ? null : Money.Usd(d.Cost) / d.Tickets)).ToList();
        var alerts = await AlertsAsync(db, customerId, filter, 12, cancellationToken);
        return new CustomerReport(customer.Id, customer.Name, customer.Plan, customer.Email, from, to, channel,
            days.Sum(d => d.Tickets), days.Sum(d => d.Auto), Money.Usd(days.Sum(d => d.Cost)), Money.Usd(days.Sum(d => d.CloudCost)),
            await BudgetStatusAsync(db, customerId, cancellationToken), daily, alerts);
    }

    public async Task<BudgetStatus?> BudgetStatusAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await BudgetStatusAsync(db, customerId, cancellationToken);
    }

    /// <summary>One page of a customer's decided tickets in the range (newest first), each with its receipts.</summary>
    public async Task<(IReadOnlyList<CustomerTicketRow> Rows, int Total)> CustomerTicketsAsync(string customerId, ReportFilter filter, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        var start = new DateTimeOffset(filter.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var channel = filter.Channel;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Tickets.AsNoTracking()
            .Where(t => t.CustomerId == customerId && t.DecidedAt >= start && t.DecidedAt < end && (channel == null || t.Channel == channel));
        var total = await query.CountAsync(cancellationToken);
        var tickets = await query.OrderByDescending(t => t.DecidedAt).Skip(page * pageSize).Take(pageSize)
            .Select(t => new
            {
                t.Id,
                DecidedAt = t.DecidedAt!.Value,
                t.Channel,
                Intent = t.Decision == null ? null : t.Decision.Intent,
                Band = t.Decision == null ? (ConfidenceBand?)null : t.Decision.Band,
                t.Status,
                t.Subject,
                t.Body,
            })
            .ToListAsync(cancellationToken);
        var ids = tickets.Select(t => t.Id).ToList();
        var receipts = (await db.CostReceipts.AsNoTracking().Where(r => ids.Contains(r.TicketId)).ToListAsync(cancellationToken))
            .ToLookup(r => r.TicketId);
        var rows = tickets.Select(t =>
        {
            var own = receipts[t.Id].OrderBy(r => Stages.Position(r.Stage)).ToList();
            var text = (string.IsNullOrWhiteSpace(t.Subject) ? t.Body : $"{t.Subject}: {t.Body}").ReplaceLineEndings(" ");
            return new CustomerTicketRow(t.Id, t.DecidedAt, t.Channel, t.Intent, t.Band?.ToString(), t.Status.ToString(),
                Money.Usd(own.Sum(r => r.CostNanosUsd)), own.Any(r => !r.IsLocal), text.Length > 100 ? text[..100] + "…" : text,
                [.. own.Select(r => new ReceiptView(r.Stage, r.Model, r.ModelVersion, r.IsLocal, r.InputTokens, r.OutputTokens, r.CpuMilliseconds,
                    r.LatencyMilliseconds, Money.Usd(r.CostNanosUsd)))]);
        }).ToList();
        return (rows, total);
    }

    /// <summary>The latest budget alerts (all customers, or one), of the months the period in view touches (every month when null).</summary>
    public async Task<IReadOnlyList<BudgetAlertView>> AlertsAsync(string? customerId, ReportFilter? period, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await AlertsAsync(db, customerId, period, take, cancellationToken);
    }

    public async Task<DeflectionReport> DeflectionAsync(ReportFilter filter, CancellationToken cancellationToken = default)
    {
        var prices = options.CurrentValue;
        var (from, to, channel) = (filter.From, filter.To, filter.Channel);
        IQueryable<DailyIntentStats> Range(SupportConsoleDbContext db) =>
            db.DailyIntentStats.AsNoTracking().Where(r => r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel));

        // Independent reads, each on its own connection (WAL readers do not block each other).
        // By day, channel and band: the daily series, the channel table and the totals from one scan of the range.
        var byDayQuery = ReadAsync(db => Range(db).GroupBy(r => new { r.Day, r.Channel, r.Band })
            .Select(g => new
            {
                g.Key.Day,
                g.Key.Channel,
                g.Key.Band,
                Tickets = g.Sum(r => r.Tickets),
                Responses = g.Sum(r => r.FirstResponses),
                ResponseMs = g.Sum(r => r.FirstResponseMsTotal),
                Sent = g.Sum(r => r.DraftsSent),
                Edited = g.Sum(r => r.DraftsEdited),
                EditBp = g.Sum(r => r.EditBasisPointsTotal),
                Rejected = g.Sum(r => r.DraftsRejected),
            })
            .ToListAsync(cancellationToken), cancellationToken);
        var byIntentQuery = ReadAsync(db => Range(db).GroupBy(r => new { r.Intent, r.Band })
            .Select(g => new
            {
                g.Key.Intent,
                g.Key.Band,
                Tickets = g.Sum(r => r.Tickets),
                Sent = g.Sum(r => r.DraftsSent),
                Edited = g.Sum(r => r.DraftsEdited),
                Rejected = g.Sum(r => r.DraftsRejected),
            })
            .ToListAsync(cancellationToken), cancellationToken);
        var reasonsQuery = ReadAsync(db => db.DailyReasonCounts.AsNoTracking()
            .Where(r => r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel))
            .GroupBy(r => new { r.Band, r.Code })
            .Select(g => new { g.Key.Band, g.Key.Code, Tickets = g.Sum(r => r.Tickets) })
            .ToListAsync(cancellationToken), cancellationToken);
        var histogramQuery = ReadAsync(db => db.DailyResponseTimes.AsNoTracking()
            .Where(r => r.Day >= from && r.Day <= to && (channel == null || r.Channel == channel))
            .GroupBy(r => new { r.Band, r.Bucket })
            .Select(g => new { g.Key.Band, g.Key.Bucket, Responses = g.Sum(r => r.Responses) })
            .ToListAsync(cancellationToken), cancellationToken);
        var byDay = await byDayQuery;
        var byIntent = await byIntentQuery;
        var reasons = await reasonsQuery;
        var histogram = await histogramQuery;

        var tickets = byDay.Sum(r => r.Tickets);
        long BandTotal(ConfidenceBand band) => byDay.Where(r => r.Band == band).Sum(r => r.Tickets);
        var auto = BandTotal(ConfidenceBand.Auto);
        var bands = Enum.GetValues<ConfidenceBand>().Select(b => new BandCount(b.ToString(), BandTotal(b), Share(BandTotal(b), tickets))).ToList();
        var daily = byDay.GroupBy(r => r.Day).OrderBy(g => g.Key).Select(g =>
        {
            long Of(ConfidenceBand band) => g.Where(r => r.Band == band).Sum(r => r.Tickets);
            var total = g.Sum(r => r.Tickets);
            return new DeflectionPeriodRow(g.Key, total, Of(ConfidenceBand.Auto), Of(ConfidenceBand.Suggest), Of(ConfidenceBand.Escalate),
                Share(Of(ConfidenceBand.Auto), total));
        }).ToList();
        var intents = byIntent.GroupBy(r => r.Intent).Select(g =>
        {
            long Of(ConfidenceBand band) => g.Where(r => r.Band == band).Sum(r => r.Tickets);
            var total = g.Sum(r => r.Tickets);
            return new IntentDeflectionRow(g.Key, total, Of(ConfidenceBand.Auto), Of(ConfidenceBand.Suggest), Of(ConfidenceBand.Escalate),
                Share(Of(ConfidenceBand.Auto), total), g.Sum(r => r.Sent), g.Sum(r => r.Edited), g.Sum(r => r.Rejected));
        }).OrderByDescending(r => r.Tickets).ThenBy(r => r.Intent, StringComparer.Ordinal).ToList();
        var channels = byDay.GroupBy(r => r.Channel).Select(g =>
        {
            long Of(ConfidenceBand band) => g.Where(r => r.Band == band).Sum(r => r.Tickets);
            var total = g.Sum(r => r.Tickets);
            return new ChannelDeflectionRow(g.Key, total, Of(ConfidenceBand.Auto), Of(ConfidenceBand.Suggest), Of(ConfidenceBand.Escalate),
                Share(Of(ConfidenceBand.Auto), total));
        }).OrderByDescending(r => r.Tickets).ToList();
        var reasonRows = reasons
            .Select(r => new ReasonRow(r.Band.ToString(), r.Code, r.Tickets, Share(r.Tickets, BandTotal(r.Band))))
            .OrderBy(r => Array.IndexOf(BandOrder, r.Band)).ThenByDescending(r => r.Tickets).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        long sent = byDay.Sum(r => r.Sent), edited = byDay.Sum(r => r.Edited), rejected = byDay.Sum(r => r.Rejected);
        var drafts = new DraftReviewSummary(sent, edited, rejected, Share(edited, sent),
            edited == 0 ? null : byDay.Sum(r => r.EditBp) / 10_000.0 / edited, Share(rejected, sent + rejected));
        var responseTimes = Enum.GetValues<ConfidenceBand>().Select(band =>
        {
            var responses = byDay.Where(r => r.Band == band).Sum(r => r.Responses);
            var buckets = histogram.Where(h => h.Band == band).Select(h => (h.Bucket, h.Responses)).ToList();
            return new ResponseTimeRow(band.ToString(), responses,
                responses == 0 ? null : byDay.Where(r => r.Band == band).Sum(r => r.ResponseMs) / 1000.0 / responses,
                ResponseTimeBuckets.Quantile(buckets, 0.5) / 1000.0, ResponseTimeBuckets.Quantile(buckets, 0.9) / 1000.0);
        }).ToList();

        return new DeflectionReport(from, to, channel, tickets, auto, Share(auto, tickets), bands, daily, intents, channels, reasonRows, drafts,
            responseTimes, prices.HumanAnswerCostUsd, auto * prices.HumanAnswerCostUsd);
    }

    /// <summary>Day rows summed into weeks (from Monday) or months.</summary>
    public static IReadOnlyList<CostPeriodRow> ByPeriod(IReadOnlyList<CostPeriodRow> daily, Granularity granularity) => granularity == Granularity.Day
        ? daily
        : [.. daily.GroupBy(d => PeriodStart(d.Start, granularity)).OrderBy(g => g.Key).Select(g =>
        {
            var tickets = g.Sum(d => d.Tickets);
            var cost = g.Sum(d => d.CostUsd);
            return new CostPeriodRow(g.Key, tickets, g.Sum(d => d.AutoResolved), g.Sum(d => d.CloudTickets), cost, g.Sum(d => d.LocalCostUsd),
                g.Sum(d => d.CloudCostUsd), tickets == 0 ? null : cost / tickets);
        })];

    public static IReadOnlyList<DeflectionPeriodRow> ByPeriod(IReadOnlyList<DeflectionPeriodRow> daily, Granularity granularity) => granularity == Granularity.Day
        ? daily
        : [.. daily.GroupBy(d => PeriodStart(d.Start, granularity)).OrderBy(g => g.Key).Select(g =>
        {
            var tickets = g.Sum(d => d.Tickets);
            var auto = g.Sum(d => d.Auto);
            return new DeflectionPeriodRow(g.Key, tickets, auto, g.Sum(d => d.Suggest), g.Sum(d => d.Escalate), Share(auto, tickets));
        })];

    public static DateOnly PeriodStart(DateOnly day, Granularity granularity) => granularity switch
    {
        Granularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        Granularity.Month => new DateOnly(day.Year, day.Month, 1),
        _ => day,
    };

    /// <summary>
    /// Runs one read on its own short-lived context on the thread pool, so independent reads of a page overlap
    /// (SQLite's ADO.NET provider runs "async" commands synchronously on the caller's thread).
    /// </summary>
    private Task<T> ReadAsync<T>(Func<SupportConsoleDbContext, Task<T>> query, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await query(db);
    }, cancellationToken);

    private static double? Share(long part, long whole) => whole == 0 ? null : part / (double)whole;

    private async Task<BudgetStatus?> BudgetStatusAsync(SupportConsoleDbContext db, string customerId, CancellationToken cancellationToken)
    {
        var budget = await db.CustomerBudgets.AsNoTracking().FirstOrDefaultAsync(b => b.CustomerId == customerId, cancellationToken);
        if (budget is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var spent = await BudgetGuard.MonthToDateAsync(db, customerId, now, cancellationToken);
        var share = budget.MonthlyBudgetUsd == 0 ? 1 : (double)(Money.Usd(spent) / budget.MonthlyBudgetUsd);
        return new BudgetStatus(budget.MonthlyBudgetUsd, budget.WarnAtShare, budget.OverBudgetAction.ToString(), BudgetGuard.MonthOf(now),
            Money.Usd(spent), share, budget.OverBudgetAction == OverBudgetAction.StopCloudDeferral && spent >= BudgetGuard.ToNanos(budget.MonthlyBudgetUsd),
            budget.UpdatedAt, budget.UpdatedBy);
    }

    private static async Task<IReadOnlyList<BudgetAlertView>> AlertsAsync(SupportConsoleDbContext db, string? customerId, ReportFilter? period, int take,
        CancellationToken cancellationToken)
    {
        // Budgets are monthly: an alert belongs to the period when its month is one the period touches ("yyyy-MM" sorts as text).
        var query = db.BudgetAlerts.AsNoTracking().Where(a => customerId == null || a.CustomerId == customerId);
        if (period is not null)
        {
            var first = period.From.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var last = period.To.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            query = query.Where(a => a.Month.CompareTo(first) >= 0 && a.Month.CompareTo(last) <= 0);
        }

        var alerts = await query.OrderByDescending(a => a.CreatedAt).Take(take).ToListAsync(cancellationToken);
        var ids = alerts.Select(a => a.CustomerId).Distinct().ToList();
        var names = await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return [.. alerts.Select(a => new BudgetAlertView(a.Id, a.CustomerId, names.GetValueOrDefault(a.CustomerId), a.Month,
            a.Level.ToString(), Money.Usd(a.SpendNanosUsd), a.BudgetUsd, a.OverBudgetAction.ToString(), a.TicketId, a.CreatedAt))];
    }
}
