using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Api;
using SupportConsole.Data;

namespace SupportConsole.Tests.TestSupport;

/// <summary>
/// The real app on real Kestrel (127.0.0.1, a free port) with a fresh SQLite file in a temporary folder, seeded with the
/// demo tenant; or, with SUPPORTCONSOLE_TEST_PROVIDER=Postgres, a fresh PostgreSQL database of the test server (the
/// provider-neutral integration tests run both ways). Extra settings override configuration (cloud endpoints, webhook...).
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-bootstrap-key";

    private readonly TemporaryDirectory? _ownState;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly TestDatabase? _postgres;
    private readonly List<Func<Task>> _closeBeforeStopping = [];
    private readonly CapturedLogs? _logs;

    /// <param name="settings">Configuration overrides.</param>
    /// <param name="postgresConnectionString">Run on this PostgreSQL database (else on SQLite, or on the test provider's).</param>
    /// <param name="stateDirectory">A state folder the caller owns (kept after this app stops, so another can start on it); else a temporary one.</param>
    /// <param name="sqliteOnly">Always the embedded default, whatever the test provider (tests of SQLite-only behaviour).</param>
    /// <param name="logs">Receives every log line of the app (at the levels the settings let through).</param>
    /// <param name="httpsCertificate">Serve https with this certificate instead of http.</param>
    public AppFactory(IReadOnlyDictionary<string, string?>? settings = null, string? postgresConnectionString = null, string? stateDirectory = null,
        bool sqliteOnly = false, CapturedLogs? logs = null, System.Security.Cryptography.X509Certificates.X509Certificate2? httpsCertificate = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        _logs = logs;
        _ownState = stateDirectory is null ? new TemporaryDirectory() : null;
        StateDirectory = stateDirectory ?? _ownState!.Path;
        if (postgresConnectionString is null && PostgresServer.IsTestProvider && !sqliteOnly)
        {
            _postgres = PostgresServer.CreateDatabase();
            postgresConnectionString = _postgres.ConnectionString;
        }

        PostgresConnectionString = postgresConnectionString;
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (httpsCertificate is not null)
            {
                listen.UseHttps(httpsCertificate);
            }
        }));
    }

    /// <summary>The PostgreSQL database this app runs on, or null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    public string StateDirectory { get; }

    /// <summary>An HTTP client for the running server, with the bootstrap API key.</summary>
    public HttpClient Client()
    {
        StartServer();
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ApiKey);
        return client;
    }

    /// <summary>
    /// Something to close before the server stops, such as a browser context: an open Blazor circuit keeps Kestrel
    /// waiting for the whole shutdown timeout, and the hosted services stopped after it then find that time spent.
    /// </summary>
    public void CloseBeforeStopping(Func<Task> close)
    {
        lock (_closeBeforeStopping)
        {
            _closeBeforeStopping.Add(close);
        }
    }

    private Task CloseBeforeStoppingAsync()
    {
        Func<Task>[] closes;
        lock (_closeBeforeStopping)
        {
            closes = [.. _closeBeforeStopping];
            _closeBeforeStopping.Clear();
        }

        return Task.WhenAll(closes.Select(close => close()));
    }

    public SupportConsoleDbContext Database()
    {
        StartServer();
        return Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContext();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", StateDirectory);
        if (PostgresConnectionString is { } postgres)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:SupportConsole", postgres);
        }

        builder.UseSetting("Api:BootstrapKeys:0", ApiKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        // Tests sign in as the demo accounts hundreds of times from 127.0.0.1; the tests of the limit set it back.
        builder.UseSetting("AccountSecurity:SignInsPerClientPerMinute", "100000");

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_logs is not null)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseBeforeStoppingAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBeforeStoppingAsync().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            _postgres?.Dispose();
            _ownState?.Dispose();
        }
    }
}
