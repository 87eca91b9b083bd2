using System.Diagnostics;
using Npgsql;

namespace SupportConsole.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>SUPPORTCONSOLE_TEST_POSTGRES</c> (the test script starts a
/// throw-away cluster and sets it), or else a throw-away cluster of our own started with scripts/test-postgres.sh on
/// 127.0.0.1. Each test gets a database of its own, dropped afterwards.
/// </summary>
public static class PostgresServer
{
    public const string ServerVariable = "SUPPORTCONSOLE_TEST_POSTGRES";

    /// <summary>Set to <c>Postgres</c> to run the provider-neutral integration tests (everything on <see cref="AppFactory"/>) on PostgreSQL.</summary>
    public const string ProviderVariable = "SUPPORTCONSOLE_TEST_PROVIDER";

    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool IsTestProvider =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new, empty database; dispose the result to drop it.</summary>
    public static TestDatabase CreateDatabase()
    {
        var name = $"sc_test_{Guid.NewGuid():N}"[..30];
        using (var connection = new NpgsqlConnection(Server.Value))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return new TestDatabase(new NpgsqlConnectionStringBuilder(Server.Value) { Database = name, MaxPoolSize = 50 }.ToString(), name, Server.Value);
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var directory = Path.Combine("/tmp", $"supportconsole-test-pg-{Environment.ProcessId}");
        var script = Path.Combine(RepositoryPaths.Root, "scripts", "test-postgres.sh");
        var start = new ProcessStartInfo(script, ["start", directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEnd().Trim();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} start failed ({process.ExitCode}): {error}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Process.Start(script, ["stop", directory])?.WaitForExit(30_000);
        return output;
    }
}

/// <summary>A database of the test server, dropped (connections and all) when disposed.</summary>
public sealed class TestDatabase(string connectionString, string name, string server) : IDisposable
{
    public string ConnectionString { get; } = connectionString;

    public string Name { get; } = name;

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }
}
