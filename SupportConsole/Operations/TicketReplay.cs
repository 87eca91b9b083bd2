using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Routing;
using SupportConsole.Ingest;

namespace SupportConsole.Operations;

public sealed record LatencySummary(double P50, double P95, double P99, double Mean, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        var sorted = values.Order().ToArray();
        double At(double q) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
        return new LatencySummary(At(0.5), At(0.95), At(0.99), Math.Round(sorted.Average(), 3), Math.Round(sorted[^1], 3));
    }
}

/// <summary>What a measured run cost the whole process: CPU, allocations and garbage collections, per ticket.</summary>
public sealed record ProcessCost(double CpuMsPerTicket, double AllocatedKbPerTicket, int Gen0, int Gen1, int Gen2, double GcPauseMs)
{
    public static ProcessCostClock Start() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(),
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
}

/// <summary>The process's counters when a measured run started.</summary>
public sealed record ProcessCostClock(TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Pause)
{
    public ProcessCost Stop(int tickets) => new(
        Math.Round((Process.GetCurrentProcess().TotalProcessorTime - Cpu).TotalMilliseconds / Math.Max(1, tickets), 3),
        Math.Round((GC.GetTotalAllocatedBytes() - Allocated) / 1024.0 / Math.Max(1, tickets), 1),
        GC.CollectionCount(0) - Gen0, GC.CollectionCount(1) - Gen1, GC.CollectionCount(2) - Gen2,
        Math.Round((GC.GetTotalPauseDuration() - Pause).TotalMilliseconds, 1));
}

/// <summary>How the pipeline did against the golden set's expected band and article.</summary>
public sealed record GoldenMetrics(
    int Tickets,
    int ExpectedAuto,
    double AutoResolvedShareOfExpectedAuto,
    int AutoReplies,
    int BadAutoReplies,
    double BadAnswerRate,
    double MeanGroundednessOfAuto,
    double MinGroundednessOfAuto,
    double BandAgreement);

public sealed record ReplayReport(
    string RunId,
    int Tickets,
    int WarmupTickets,
    IReadOnlyDictionary<string, int> Bands,
    double CertifiedShare,
    double? IntentAccuracy,
    LatencySummary LatencyMs,
    ProcessCost Process,
    IReadOnlyDictionary<string, LatencySummary> StageLatencyMs,
    decimal CostUsd,
    GoldenMetrics? Golden);

/// <summary>
/// Pushes tickets through the real pipeline one at a time (ingest to decision stored, as a channel would) and
/// reports bands, accuracy, latency and, for golden-set files, the quality figures.
/// </summary>
public static class TicketReplay
{
    public const string Channel = "replay";

    /// <summary>
    /// Replays <paramref name="rows"/>; with <paramref name="warmup"/> &gt; 0 that many tickets (the rows again, cycled,
    /// under their own external ids) go through first and are left out of every figure.
    /// </summary>
    public static async Task<ReplayReport> RunAsync(IServiceProvider services, IReadOnlyList<LabelledText> rows, int? customerCount, int seed,
        CancellationToken cancellationToken, int warmup = 0)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();
        var intake = services.GetRequiredService<TicketIntake>();
        var runId = $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        List<string> customers;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            customers = await db.Customers.Where(c => c.Id != HistoricalTickets.Customer).OrderBy(c => c.Id).Select(c => c.Id)
                .Take(customerCount ?? int.MaxValue).ToListAsync(cancellationToken);
        }

        if (customers.Count == 0)
        {
            customers.Add("replay-customer");
        }

        var random = new Random(seed);
        for (var i = 0; i < warmup; i++)
        {
            var row = rows[i % rows.Count];
            var customer = row.Column("customer_id") ?? customers[random.Next(customers.Count)];
            await intake.ReceiveAsync(new InboundTicket($"{runId}-warmup-{i:D6}", customer, Channel, null, row.Text, null), "cli:replay", cancellationToken);
        }

        random = new Random(seed);
        var latencies = new List<double>(rows.Count);
        var ids = new List<Guid>(rows.Count);
        var cost = ProcessCost.Start();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var customer = row.Column("customer_id") ?? customers[random.Next(customers.Count)];
            var start = Stopwatch.GetTimestamp();
            var result = await intake.ReceiveAsync(new InboundTicket($"{runId}-{i:D6}", customer, Channel, null, row.Text, null), "cli:replay", cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!result.IsValid)
            {
                throw new DataFileException($"row {i + 1}: {string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}"))}");
            }

            ids.Add(result.TicketId!.Value);
        }

        var spent = cost.Stop(rows.Count);

        await using var read = await contexts.CreateDbContextAsync(cancellationToken);
        var decisions = await read.Decisions.AsNoTracking().Where(d => ids.Contains(d.TicketId)).ToDictionaryAsync(d => d.TicketId, cancellationToken);
        var drafts = await read.Drafts.AsNoTracking().Where(d => ids.Contains(d.TicketId)).ToDictionaryAsync(d => d.TicketId, cancellationToken);
        var receipts = await read.CostReceipts.AsNoTracking().Where(r => ids.Contains(r.TicketId)).ToListAsync(cancellationToken);

        var decided = ids.Where(decisions.ContainsKey).ToList();
        var labelled = Enumerable.Range(0, rows.Count).Where(i => rows[i].Category is not null && decisions.ContainsKey(ids[i])).ToList();
        return new ReplayReport(
            runId,
            rows.Count,
            warmup,
            Enum.GetValues<ConfidenceBand>().ToDictionary(b => b.ToString().ToLowerInvariant(), b => decided.Count(id => decisions[id].Band == b)),
            decided.Count == 0 ? 0 : decided.Count(id => decisions[id].Certified) / (double)decided.Count,
            labelled.Count == 0 ? null : labelled.Count(i => decisions[ids[i]].Intent == rows[i].Category) / (double)labelled.Count,
            LatencySummary.Of(latencies),
            spent,
            receipts.GroupBy(r => r.Stage).OrderBy(g => Stages.Position(g.Key))
                .ToDictionary(g => g.Key, g => LatencySummary.Of([.. g.Select(r => r.LatencyMilliseconds)])),
            receipts.Sum(r => r.CostNanosUsd) / 1_000_000_000m,
            Golden(rows, ids, decisions, drafts));
    }

    private static GoldenMetrics? Golden(IReadOnlyList<LabelledText> rows, List<Guid> ids, Dictionary<Guid, Decision> decisions, Dictionary<Guid, Draft> drafts)
    {
        var golden = Enumerable.Range(0, rows.Count)
            .Where(i => rows[i].Column("expected_band") is not null && rows[i].Category is not null && decisions.ContainsKey(ids[i]))
            .ToList();
        if (golden.Count == 0)
        {
            return null;
        }

        var expectedAuto = golden.Where(i => rows[i].Column("expected_band") == "auto").ToList();
        var auto = golden.Where(i => decisions[ids[i]].Band == ConfidenceBand.Auto).ToList();
        bool Bad(int i) => decisions[ids[i]].Intent != rows[i].Category
            || (rows[i].Column("expected_article") is { } article && drafts.GetValueOrDefault(ids[i])?.CitedArticleId != article);
        var groundedness = auto.Select(i => decisions[ids[i]].Groundedness ?? 0).ToList();
        return new GoldenMetrics(
            golden.Count,
            expectedAuto.Count,
            expectedAuto.Count == 0 ? 0 : expectedAuto.Count(i => decisions[ids[i]].Band == ConfidenceBand.Auto) / (double)expectedAuto.Count,
            auto.Count,
            auto.Count(Bad),
            auto.Count == 0 ? 0 : auto.Count(Bad) / (double)auto.Count,
            groundedness.Count == 0 ? 0 : Math.Round(groundedness.Average(), 4),
            groundedness.Count == 0 ? 0 : Math.Round(groundedness.Min(), 4),
            golden.Count(i => decisions[ids[i]].Band.ToString().Equals(rows[i].Column("expected_band"), StringComparison.OrdinalIgnoreCase)) / (double)golden.Count);
    }
}
