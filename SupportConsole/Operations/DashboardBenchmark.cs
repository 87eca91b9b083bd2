using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Reporting;

namespace SupportConsole.Operations;

/// <summary>One dashboard's queries over one filter: first call (cold) and the median of the warm calls.</summary>
public sealed record DashboardTiming(string Dashboard, string Filter, double ColdMs, double WarmP50Ms, double WarmMaxMs, int Rows);

public sealed record DashboardBenchmarkReport(
    string DataDirectory,
    long Tickets,
    long Receipts,
    int Customers,
    IReadOnlyDictionary<string, long> RollupRows,
    int Runs,
    double TargetMs,
    bool AllWarmUnderTarget,
    IReadOnlyList<DashboardTiming> Timings,
    double RawReceiptsGroupByCustomerMs);

/// <summary>
/// Times the query set each dashboard page runs (the same service calls the pages make), against a database filled by
/// the simulator: cold is the first call in this process after the connection pool was cleared, warm the median of
/// the next runs.
/// </summary>
public static class DashboardBenchmark
{
    public const double TargetMs = 1000;

    public static async Task<DashboardBenchmarkReport> RunAsync(IServiceProvider services, string dataDirectory, int runs, CancellationToken cancellationToken)
    {
        var reports = services.GetRequiredService<CostReports>();
        var contexts = services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();
        long tickets, receipts;
        int customers;
        var rollups = new Dictionary<string, long>();
        DateOnly first, last;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            tickets = await db.Tickets.LongCountAsync(t => t.DecidedAt != null, cancellationToken);
            receipts = await db.CostReceipts.LongCountAsync(cancellationToken);
            customers = await db.DailyCustomerStats.Select(r => r.CustomerId).Distinct().CountAsync(cancellationToken);
            rollups["dailyStageCosts"] = await db.DailyStageCosts.LongCountAsync(cancellationToken);
            rollups["dailyIntentStats"] = await db.DailyIntentStats.LongCountAsync(cancellationToken);
            rollups["dailyReasonCounts"] = await db.DailyReasonCounts.LongCountAsync(cancellationToken);
            rollups["dailyCustomerStats"] = await db.DailyCustomerStats.LongCountAsync(cancellationToken);
            rollups["dailyResponseTimes"] = await db.DailyResponseTimes.LongCountAsync(cancellationToken);
            first = await db.DailyIntentStats.MinAsync(r => (DateOnly?)r.Day, cancellationToken) ?? DateOnly.FromDateTime(DateTime.UtcNow);
            last = await db.DailyIntentStats.MaxAsync(r => (DateOnly?)r.Day, cancellationToken) ?? first;
        }

        var all = new ReportFilter(first, last, null);
        var month = ReportFilter.LastDays(30, last);
        var email = all with { Channel = "email" };
        var heaviest = (await reports.CustomersAsync(all, cancellationToken)).Customers.FirstOrDefault()?.CustomerId ?? "C0001";

        // What each page runs when it loads (channels for the filter bar, then its own queries).
        var dashboards = new (string Name, Func<ReportFilter, Task<int>> Load)[]
        {
            ("costs", async f => { await reports.ChannelsAsync(cancellationToken); return (await reports.SummaryAsync(f, cancellationToken)).Daily.Count; }),
            ("customers", async f =>
            {
                await reports.ChannelsAsync(cancellationToken);
                await reports.AlertsAsync(null, null, 8, cancellationToken);
                return (await reports.CustomersAsync(f, cancellationToken)).Customers.Count;
            }),
            ("customer-drill-down", async f =>
            {
                await reports.ChannelsAsync(cancellationToken);
                await reports.CustomerAsync(heaviest, f, cancellationToken);
                return (await reports.CustomerTicketsAsync(heaviest, f, 0, 20, cancellationToken)).Total;
            }),
            ("deflection", async f => { await reports.ChannelsAsync(cancellationToken); return (await reports.DeflectionAsync(f, cancellationToken)).Intents.Count; }),
        };

        SqliteConnection.ClearAllPools();
        var timings = new List<DashboardTiming>();
        foreach (var (label, filter) in new[] { ($"all {all.Days} days", all), ("last 30 days", month), ($"all {all.Days} days, email", email) })
        {
            foreach (var (name, load) in dashboards)
            {
                var clock = Stopwatch.StartNew();
                var rows = await load(filter);
                var cold = clock.Elapsed.TotalMilliseconds;
                var warm = new List<double>();
                for (var r = 0; r < runs; r++)
                {
                    clock.Restart();
                    await load(filter);
                    warm.Add(clock.Elapsed.TotalMilliseconds);
                }

                warm.Sort();
                timings.Add(new DashboardTiming(name, label, Math.Round(cold, 1), Math.Round(warm[warm.Count / 2], 1), Math.Round(warm[^1], 1), rows));
            }
        }

        // For comparison: what one of these sums costs straight from the receipts (why the rollups exist).
        double raw;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var clock = Stopwatch.StartNew();
            await db.CostReceipts.GroupBy(r => r.CustomerId).Select(g => new { g.Key, Cost = g.Sum(r => r.CostNanosUsd) }).ToListAsync(cancellationToken);
            raw = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        }

        return new DashboardBenchmarkReport(dataDirectory, tickets, receipts, customers, rollups, runs, TargetMs,
            timings.All(t => t.WarmP50Ms < TargetMs), timings, raw);
    }
}
