using Microsoft.EntityFrameworkCore;
using Npgsql;
using SupportConsole.Data;
using SupportConsole.Identity;

namespace SupportConsole.Operations;

public sealed record ClusterIngestReport(
    int Instances,
    int Sent,
    int Accepted,
    int Failed,
    int StoredRows,
    int DecidedRows,
    int Lost,
    int Concurrency,
    double Seconds,
    double TicketsPerSecond,
    LatencySummary LatencyMs);

/// <summary>
/// Sustained HTTP ingest on PostgreSQL: a fresh database on the given server, N console instances as processes on
/// 127.0.0.1, tickets sent round-robin from this process, rows counted afterwards. The database is dropped at the end.
/// </summary>
public static class ClusterIngestBenchmark
{
    public const string Channel = "bench";

    public static async Task<ClusterIngestReport> RunAsync(string server, int instances, IReadOnlyList<string> texts, int tickets, int concurrency,
        TimeSpan limit, CancellationToken cancellationToken)
    {
        var name = $"sc_bench_{Guid.NewGuid():N}"[..28];
        await ExecuteAsync(server, $"CREATE DATABASE {name}", cancellationToken);
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        var state = Path.Combine(Path.GetTempPath(), name);
        var key = ApiKeyFormat.NewKey();
        var started = new List<AppInstanceProcess>();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                // One at a time: the first migrates and seeds, the others find it done.
                started.Add(await AppInstanceProcess.StartAsync($"bench-{i + 1}", new Dictionary<string, string>
                {
                    ["Database__Provider"] = "Postgres",
                    ["ConnectionStrings__SupportConsole"] = database,
                    ["SUPPORTCONSOLE_DATA_DIR"] = Path.Combine(state, $"instance-{i + 1}"),
                    ["Api__BootstrapKeys__0"] = key,
                }, TimeSpan.FromSeconds(180), cancellationToken));
            }

            var clients = started.Select(instance =>
            {
                var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = instance.BaseUrl };
                client.DefaultRequestHeaders.Add(Api.ApiKeyAuthenticationHandler.HeaderName, key);
                return client;
            }).ToList();

            // Warm up every instance (JIT, pools, caches) on another channel; not counted.
            await Task.WhenAll(clients.SelectMany((client, c) => Enumerable.Range(0, 16).Select(i =>
                client.PostAsJsonAsync("/api/v1/tickets", IngestLoad.Ticket("warmup", (c * 100) + i, texts), cancellationToken))));

            var load = await IngestLoad.RunAsync(i => clients[i % clients.Count], Channel, texts, tickets, concurrency, limit, cancellationToken);
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await using var db = new PostgresSupportConsoleDbContext(new DbContextOptionsBuilder<PostgresSupportConsoleDbContext>().UseNpgsql(database).Options);
            var stored = await db.Tickets.CountAsync(t => t.Channel == Channel, cancellationToken);
            var decided = await db.Decisions.CountAsync(d => db.Tickets.Any(t => t.Id == d.TicketId && t.Channel == Channel), cancellationToken);
            return new ClusterIngestReport(instances, load.Sent, load.Accepted, load.Failed, stored, decided, load.Accepted - stored, concurrency,
                Math.Round(load.Seconds, 2), Math.Round(load.Sent / load.Seconds, 1), load.LatencyMs);
        }
        finally
        {
            foreach (var instance in started)
            {
                await instance.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static async Task ExecuteAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
