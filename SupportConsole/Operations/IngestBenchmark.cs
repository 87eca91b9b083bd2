using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Administration;
using SupportConsole.Api;
using SupportConsole.Data;
using SupportConsole.Identity;

namespace SupportConsole.Operations;

public sealed record IngestBenchmarkReport(
    int WarmupTickets,
    int Sent,
    int Created,
    int Failed,
    int StoredRows,
    int DecidedRows,
    int Lost,
    int Concurrency,
    double Seconds,
    double TicketsPerSecond,
    double CpuMsPerTicket,
    double CpuCoresBusy,
    ProcessCost Process,
    double WritesPerCommit,
    LatencySummary LatencyMs);

/// <summary>Sustained HTTP ingest against a fresh in-process instance (real Kestrel, real SQLite file) on 127.0.0.1.</summary>
public static class IngestBenchmark
{
    public const string Channel = "bench";

    public static async Task<IngestBenchmarkReport> RunAsync(IReadOnlyList<string> texts, int tickets, int concurrency, int warmup, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        await using var instance = await TemporaryInstance.StartAsync(new Dictionary<string, string?>(), cancellationToken);
        var app = instance.App;
        // A key an admin created (hashed in the database), as a real integration sends, not a bootstrap key.
        var (created, key) = await app.Services.GetRequiredService<AccessAdmin>()
            .CreateKeyAsync("ingest benchmark", [ApiScopes.TicketsWrite], Identity.ConsoleActor.System("bench"), cancellationToken);
        if (key is null)
        {
            throw new InvalidOperationException($"could not create the benchmark's API key: {created.Message}");
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = instance.Address };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);

        // Warm up (JIT tiers, connection pool, caches) at the same concurrency; these tickets use another channel
        // and are not counted. What is measured after is the sustained rate, not the start-up.
        var warmupNext = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref warmupNext) is var i && i < warmup)
            {
                using var response = await http.PostAsJsonAsync("/api/v1/tickets", IngestLoad.Ticket("warmup", i, texts), cancellationToken);
            }
        }));

        var writer = app.Services.GetRequiredService<GroupCommitWriter>();
        var (commitsBefore, writesBefore) = (writer.Commits, writer.Writes);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var cost = ProcessCost.Start();
        var load = await IngestLoad.RunAsync(_ => http, Channel, texts, tickets, concurrency, limit, cancellationToken);
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var spent = cost.Stop(load.Sent);
        var (commits, writes) = (writer.Commits - commitsBefore, writer.Writes - writesBefore);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContextAsync(cancellationToken);
        var stored = await db.Tickets.CountAsync(t => t.Channel == Channel, cancellationToken);
        var decided = await db.Decisions.CountAsync(d => db.Tickets.Any(t => t.Id == d.TicketId && t.Channel == Channel), cancellationToken);
        return new IngestBenchmarkReport(warmup, load.Sent, load.Accepted, load.Failed, stored, decided, load.Accepted - stored, concurrency,
            Math.Round(load.Seconds, 2), Math.Round(load.Sent / load.Seconds, 1), Math.Round(cpuMs / load.Sent, 3),
            Math.Round(cpuMs / 1000 / load.Seconds, 2), spent, Math.Round(commits == 0 ? 0 : (double)writes / commits, 2), load.LatencyMs);
    }
}
