using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SupportConsole.Data;
using SupportConsole.Identity;

namespace SupportConsole.Operations;

/// <summary>One row of <see cref="DatabaseComparison"/>: one database, one instance count, the same load.</summary>
public sealed record DatabaseRun(
    string Database,
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
    double AppCpuMsPerTicket,
    double? DatabaseCpuMsPerTicket,
    double? StatementsPerTicket,
    LatencySummary LatencyMs)
{
    /// <summary>
    /// PostgreSQL only: from the kill switch's commit in another process on the same database to the first ticket that
    /// an instance decided under it, the slowest instance's (null: not measured).
    /// </summary>
    public double? KillSwitchDelayMs { get; init; }

    /// <summary>PostgreSQL's most frequent statements during the measured load, per ticket (pg_stat_statements), most frequent first.</summary>
    public IReadOnlyList<StatementShare> TopStatements { get; init; } = [];
}

/// <summary>One normalised statement of pg_stat_statements: how often it ran per ticket and the time it took in the server.</summary>
public sealed record StatementShare(double PerTicket, double ServerMsPerTicket, string Statement);

/// <summary>
/// The same HTTP ingest load against the embedded default (SQLite, one instance) and against PostgreSQL with N
/// instances, each instance its own process on 127.0.0.1 and each run on fresh data: tickets per second, latency, CPU
/// per ticket in the instances and in PostgreSQL's processes, PostgreSQL statements per ticket (when the server loads
/// <c>pg_stat_statements</c>), and rows lost. Every run's database and state folder are deleted at the end.
/// </summary>
public static class DatabaseComparison
{
    public const string Channel = "bench";

    /// <summary>Runs SQLite (when <paramref name="sqlite"/>) and then PostgreSQL once per entry of <paramref name="instanceCounts"/>.</summary>
    public static async Task<IReadOnlyList<DatabaseRun>> RunAsync(string server, bool sqlite, IReadOnlyList<int> instanceCounts,
        IReadOnlyList<string> texts, int tickets, int warmup, int concurrency, TimeSpan limit, CancellationToken cancellationToken)
    {
        var runs = new List<DatabaseRun>();
        if (sqlite)
        {
            runs.Add(await RunSqliteAsync(texts, tickets, warmup, concurrency, limit, cancellationToken));
        }

        foreach (var count in instanceCounts)
        {
            runs.Add(await RunPostgresAsync(server, count, texts, tickets, warmup, concurrency, limit, cancellationToken));
        }

        return runs;
    }

    /// <summary>The runs as one Markdown table.</summary>
    public static string Table(IReadOnlyList<DatabaseRun> runs)
    {
        var table = new StringBuilder();
        table.AppendLine("| database | instances | tickets/s | p50 / p95 ms | app CPU ms/ticket | database CPU ms/ticket | statements/ticket | kill switch to next ticket | lost |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {run.Database} | {run.Instances} | {run.TicketsPerSecond:0.0} | {run.LatencyMs.P50:0} / {run.LatencyMs.P95:0} | "
                + $"{run.AppCpuMsPerTicket:0.00} | {(run.DatabaseCpuMsPerTicket is { } db ? db.ToString("0.00", CultureInfo.InvariantCulture) : "in the app")} | "
                + $"{(run.StatementsPerTicket is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "n/a")} | "
                + $"{(run.KillSwitchDelayMs is { } flip ? flip.ToString("0", CultureInfo.InvariantCulture) + " ms" : "in the process")} | {run.Lost} |");
        }

        foreach (var run in runs.Where(r => r.TopStatements.Count > 0))
        {
            table.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL with {run.Instances} instance(s), the most frequent statements (pg_stat_statements):");
            table.AppendLine().AppendLine("| per ticket | server ms per ticket | statement |").AppendLine("|---|---|---|");
            foreach (var statement in run.TopStatements)
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"| {statement.PerTicket:0.00} | {statement.ServerMsPerTicket:0.000} | `{statement.Statement.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal)}` |");
            }
        }

        return table.ToString();
    }

    private static async Task<DatabaseRun> RunSqliteAsync(IReadOnlyList<string> texts, int tickets, int warmup, int concurrency, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        var state = Path.Combine(Path.GetTempPath(), $"sc_bench_{Guid.NewGuid():N}"[..28]);
        var key = ApiKeyFormat.NewKey();
        try
        {
            await using var instance = await AppInstanceProcess.StartAsync("bench-sqlite", new Dictionary<string, string>
            {
                ["Database__Provider"] = "Sqlite",
                ["SUPPORTCONSOLE_DATA_DIR"] = state,
                ["Api__BootstrapKeys__0"] = key,
                ["Models__CacheDirectory"] = SharedModelCache(),
            }, TimeSpan.FromSeconds(600), cancellationToken);
            var measured = await LoadAsync([instance], key, texts, tickets, warmup, concurrency, limit, databaseCpu: null, beforeLoad: null, cancellationToken);
            var options = new DbContextOptionsBuilder<SupportConsoleDbContext>()
                .UseSqlite(new DatabaseOptions { DataDirectory = state }.SqliteConnectionString()).Options;
            await using var db = new SupportConsoleDbContext(options);
            return await CountAsync(db, "SQLite", 1, concurrency, measured, statements: null, cancellationToken);
        }
        finally
        {
            DeleteFolder(state);
        }
    }

    private static async Task<DatabaseRun> RunPostgresAsync(string server, int instances, IReadOnlyList<string> texts, int tickets, int warmup,
        int concurrency, TimeSpan limit, CancellationToken cancellationToken)
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
                    ["Models__CacheDirectory"] = SharedModelCache(),
                }, TimeSpan.FromSeconds(600), cancellationToken));
            }

            Dictionary<long, StatementTotals>? before = null;
            var measured = await LoadAsync(started, key, texts, tickets, warmup, concurrency, limit, PostgresCpuTime,
                async () => before = await StatementTotalsAsync(database, cancellationToken), cancellationToken);
            var after = await StatementTotalsAsync(database, cancellationToken);
            await using var db = new PostgresSupportConsoleDbContext(new DbContextOptionsBuilder<PostgresSupportConsoleDbContext>().UseNpgsql(database).Options);
            // Without pg_stat_statements there are no statement counts; everything else is measured the same.
            var sent = Math.Max(1, measured.Load.Sent);
            var during = before is null || after is null ? [] : after
                .Select(a => (a.Value.Query, Calls: a.Value.Calls - (before.GetValueOrDefault(a.Key)?.Calls ?? 0),
                    Ms: a.Value.TotalMs - (before.GetValueOrDefault(a.Key)?.TotalMs ?? 0)))
                .Where(d => d.Calls > 0).OrderByDescending(d => d.Calls).ToList();
            var run = await CountAsync(db, "PostgreSQL", instances, concurrency, measured, before is null || after is null ? null : during.Sum(d => d.Calls),
                cancellationToken);
            return run with
            {
                KillSwitchDelayMs = await KillSwitchDelayAsync(database, started, key, cancellationToken),
                TopStatements = [.. during.Take(15).Select(d => new StatementShare(Math.Round((double)d.Calls / sent, 2), Math.Round(d.Ms / sent, 3),
                    d.Query.Length > 160 ? d.Query[..160] + "..." : d.Query))],
            };
        }
        finally
        {
            foreach (var instance in started)
            {
                await instance.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
            DeleteFolder(state);
        }
    }

    private sealed record Measured(IngestLoadResult Load, double AppCpuMs, double? DatabaseCpuMs);

    /// <summary>Warms every instance up on another channel (not counted), then runs the measured load round-robin.</summary>
    private static async Task<Measured> LoadAsync(IReadOnlyList<AppInstanceProcess> instances, string key, IReadOnlyList<string> texts, int tickets,
        int warmup, int concurrency, TimeSpan limit, Func<TimeSpan>? databaseCpu, Func<Task>? beforeLoad, CancellationToken cancellationToken)
    {
        var clients = instances.Select(instance =>
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = instance.BaseUrl };
            client.DefaultRequestHeaders.Add(Api.ApiKeyAuthenticationHandler.HeaderName, key);
            return client;
        }).ToList();
        try
        {
            await IngestLoad.RunAsync(i => clients[i % clients.Count], "warmup", texts, warmup, concurrency, limit, cancellationToken);
            if (beforeLoad is not null)
            {
                await beforeLoad();
            }

            var processes = instances.Select(i => Process.GetProcessById(i.ProcessId)).ToList();
            var appBefore = processes.Sum(p => p.TotalProcessorTime.TotalMilliseconds);
            var databaseBefore = databaseCpu?.Invoke();
            var load = await IngestLoad.RunAsync(i => clients[i % clients.Count], Channel, texts, tickets, concurrency, limit, cancellationToken);
            processes.ForEach(p => p.Refresh());
            var appCpu = processes.Sum(p => p.TotalProcessorTime.TotalMilliseconds) - appBefore;
            var databaseMs = databaseCpu is null ? (double?)null : (databaseCpu() - databaseBefore!.Value).TotalMilliseconds;
            return new Measured(load, appCpu, databaseMs);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<DatabaseRun> CountAsync(SupportConsoleDbContext db, string database, int instances, int concurrency, Measured measured,
        long? statements, CancellationToken cancellationToken)
    {
        var load = measured.Load;
        var stored = await db.Tickets.CountAsync(t => t.Channel == Channel, cancellationToken);
        var decided = await db.Decisions.CountAsync(d => db.Tickets.Any(t => t.Id == d.TicketId && t.Channel == Channel), cancellationToken);
        var sent = Math.Max(1, load.Sent);
        return new DatabaseRun(database, instances, load.Sent, load.Accepted, load.Failed, stored, decided, load.Accepted - Math.Min(stored, decided),
            concurrency, Math.Round(load.Seconds, 2), Math.Round(load.Sent / load.Seconds, 1), Math.Round(measured.AppCpuMs / sent, 2),
            measured.DatabaseCpuMs is { } databaseCpuMs ? Math.Round(databaseCpuMs / sent, 2) : null, statements is { } s ? Math.Round((double)s / sent, 1) : null, load.LatencyMs);
    }

    /// <summary>
    /// Engages the kill switch from a console in this process on the same database (as an admin on another instance
    /// would), then sends each instance one auto-band ticket after the other until one comes back decided under the
    /// switch; releases it again. The slowest instance's delay in milliseconds, or null when the ticket was not auto.
    /// </summary>
    private static async Task<double?> KillSwitchDelayAsync(string database, IReadOnlyList<AppInstanceProcess> instances, string key,
        CancellationToken cancellationToken)
    {
        const string AutoText = "How do I activate my new card?";
        await using var admin = await TemporaryInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:SupportConsole"] = database,
            ["Models:CacheDirectory"] = SharedModelCache(),
        }, cancellationToken);
        var killSwitch = admin.Services.GetRequiredService<Administration.KillSwitch>();
        var clients = instances.Select(instance =>
        {
            var client = new HttpClient { BaseAddress = instance.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add(Api.ApiKeyAuthenticationHandler.HeaderName, key);
            return client;
        }).ToList();
        var sent = 0;
        async Task<bool?> UnderKillSwitchAsync(HttpClient client)
        {
            var ticket = new { externalId = $"flip-{Interlocked.Increment(ref sent):D6}", customerId = "C0001", channel = "flip", body = AutoText };
            using var response = await client.PostAsJsonAsync("/api/v1/tickets", ticket, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken);
            if (!body.TryGetProperty("decision", out var decision) || decision.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new InvalidOperationException($"ticket {ticket.externalId}: {(int)response.StatusCode} without a decision: {body}");
            }

            return decision.GetProperty("killSwitchEngaged").GetBoolean() ? true
                : decision.GetProperty("band").GetString() == "Auto" ? false : null;
        }

        try
        {
            foreach (var client in clients)
            {
                if (await UnderKillSwitchAsync(client) is not false)
                {
                    return null;
                }
            }

            await killSwitch.SetAsync(true, ConsoleActor.System("bench"), "compare-databases: kill-switch delay", cancellationToken);
            var flipped = Stopwatch.GetTimestamp();
            var slowest = 0.0;
            foreach (var client in clients)
            {
                while (await UnderKillSwitchAsync(client) is not true)
                {
                    if (Stopwatch.GetElapsedTime(flipped) > TimeSpan.FromSeconds(10))
                    {
                        throw new TimeoutException("an instance still answered auto 10 s after the kill switch was engaged");
                    }
                }

                slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(flipped).TotalMilliseconds);
            }

            return Math.Round(slowest, 1);
        }
        finally
        {
            await killSwitch.SetAsync(false, ConsoleActor.System("bench"), "compare-databases: kill-switch delay measured", CancellationToken.None);
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>User and system CPU of every process named <c>postgres</c> on this machine (the server runs here, on 127.0.0.1).</summary>
    private static TimeSpan PostgresCpuTime()
    {
        var ticks = 0L;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1).StartsWith("postgres", StringComparison.Ordinal))
                {
                    continue;
                }

                // After "pid (comm) ", field 3 is the state; utime and stime are fields 14 and 15.
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Not a process folder, or the process ended while it was read.
            }
        }

        // Linux reports these in clock ticks of 1/100 s (USER_HZ).
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private sealed record StatementTotals(string Query, long Calls, double TotalMs);

    /// <summary>pg_stat_statements' totals per statement in <paramref name="database"/> so far, or null when the server does not load it.</summary>
    private static async Task<Dictionary<long, StatementTotals>?> StatementTotalsAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(cancellationToken);
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var query = new NpgsqlCommand(
                "SELECT queryid, query, calls, total_exec_time FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                connection);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            var totals = new Dictionary<long, StatementTotals>();
            while (await reader.ReadAsync(cancellationToken))
            {
                totals[reader.GetInt64(0)] = new StatementTotals(reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3));
            }

            return totals;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ObjectNotInPrerequisiteState or PostgresErrorCodes.UndefinedFile)
        {
            return null;
        }
    }

    /// <summary>The model cache of this process's configuration, shared by every instance started: the shipped router is built once.</summary>
    private static string SharedModelCache() =>
        Routing.ModelOptions.FromEnvironment().ResolveCacheDirectory(new DatabaseOptions().ResolveDataDirectory());

    private static async Task ExecuteAsync(string server, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
