using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data;

namespace SupportConsole.Tests.TestSupport;

/// <summary>Compares the reporting rollups with sums computed straight from the receipts and tickets.</summary>
public static class RollupChecks
{
    /// <summary>Every rollup row as a sorted line, to compare two states of the tables exactly.</summary>
    public static async Task<IReadOnlyList<string>> SnapshotAsync(SupportConsoleDbContext db)
    {
        var lines = new List<string>();
        lines.AddRange((await db.DailyStageCosts.AsNoTracking().ToListAsync())
            .Select(r => $"stage|{r.Day}|{r.Channel}|{r.Stage}|{r.Model}|{r.IsLocal}|{r.Receipts}|{r.CostNanosUsd}|{r.InputTokens}|{r.OutputTokens}"));
        lines.AddRange((await db.DailyIntentStats.AsNoTracking().ToListAsync())
            .Select(r => $"intent|{r.Day}|{r.Channel}|{r.Intent}|{r.Band}|{r.Tickets}|{r.CostNanosUsd}|{r.CloudTickets}|{r.FirstResponses}|{r.FirstResponseMsTotal}|{r.DraftsSent}|{r.DraftsEdited}|{r.EditBasisPointsTotal}|{r.DraftsRejected}"));
        lines.AddRange((await db.DailyReasonCounts.AsNoTracking().ToListAsync()).Select(r => $"reason|{r.Day}|{r.Channel}|{r.Band}|{r.Code}|{r.Tickets}"));
        lines.AddRange((await db.DailyCustomerStats.AsNoTracking().ToListAsync())
            .Select(r => $"customer|{r.Day}|{r.Channel}|{r.CustomerId}|{r.Tickets}|{r.AutoResolved}|{r.CostNanosUsd}|{r.CloudCostNanosUsd}|{r.CloudTickets}"));
        lines.AddRange((await db.DailyResponseTimes.AsNoTracking().ToListAsync()).Select(r => $"response|{r.Day}|{r.Channel}|{r.Band}|{r.Bucket}|{r.Responses}"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Asserts that the rollups add up to the receipts per customer, per day and per stage (and tickets per day).</summary>
    public static async Task AssertMatchReceiptsAsync(SupportConsoleDbContext db)
    {
        var receipts = await db.CostReceipts.AsNoTracking().Select(r => new { r.CustomerId, r.Stage, r.CreatedAt, r.CostNanosUsd, r.TicketId }).ToListAsync();
        Assert.NotEmpty(receipts);

        var byCustomer = receipts.GroupBy(r => r.CustomerId).ToDictionary(g => g.Key, g => g.Sum(r => r.CostNanosUsd));
        var rolledByCustomer = (await db.DailyCustomerStats.AsNoTracking().ToListAsync()).GroupBy(r => r.CustomerId)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.CostNanosUsd));
        Assert.Equal(Sorted(byCustomer), Sorted(rolledByCustomer));

        var byDay = receipts.GroupBy(r => RollupContributions.DayOf(r.CreatedAt)).ToDictionary(g => g.Key.ToString("yyyy-MM-dd"), g => g.Sum(r => r.CostNanosUsd));
        var rolledByDay = (await db.DailyIntentStats.AsNoTracking().ToListAsync()).GroupBy(r => r.Day)
            .ToDictionary(g => g.Key.ToString("yyyy-MM-dd"), g => g.Sum(r => r.CostNanosUsd));
        Assert.Equal(Sorted(byDay), Sorted(rolledByDay));

        var byStage = receipts.GroupBy(r => (RollupContributions.DayOf(r.CreatedAt), r.Stage)).ToDictionary(g => $"{g.Key.Item1:yyyy-MM-dd}/{g.Key.Stage}", g => g.Sum(r => r.CostNanosUsd));
        var rolledByStage = (await db.DailyStageCosts.AsNoTracking().ToListAsync()).GroupBy(r => (r.Day, r.Stage))
            .ToDictionary(g => $"{g.Key.Day:yyyy-MM-dd}/{g.Key.Stage}", g => g.Sum(r => r.CostNanosUsd));
        Assert.Equal(Sorted(byStage), Sorted(rolledByStage));

        var ticketsByDay = (await db.Tickets.AsNoTracking().Where(t => t.DecidedAt != null).Select(t => t.DecidedAt!.Value).ToListAsync())
            .GroupBy(RollupContributions.DayOf).ToDictionary(g => g.Key.ToString("yyyy-MM-dd"), g => (long)g.Count());
        var rolledTicketsByDay = (await db.DailyCustomerStats.AsNoTracking().ToListAsync()).GroupBy(r => r.Day)
            .ToDictionary(g => g.Key.ToString("yyyy-MM-dd"), g => g.Sum(r => r.Tickets));
        Assert.Equal(Sorted(ticketsByDay), Sorted(rolledTicketsByDay));
    }

    private static List<KeyValuePair<string, long>> Sorted(Dictionary<string, long> values) => [.. values.OrderBy(p => p.Key, StringComparer.Ordinal)];
}
