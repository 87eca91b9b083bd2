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
/// demo tenant. Extra settings override configuration (cloud endpoints, webhook...).
/// </summary>
public class AppFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-bootstrap-key";

    private readonly TemporaryDirectory _state = new();
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public AppFactory(IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public string StateDirectory => _state.Path;

    /// <summary>An HTTP client for the running server, with the bootstrap API key.</summary>
    public HttpClient Client()
    {
        StartServer();
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ApiKey);
        return client;
    }

    public SupportConsoleDbContext Database()
    {
        StartServer();
        return Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContext();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:DataDirectory", _state.Path);
        builder.UseSetting("Api:BootstrapKeys:0", ApiKey);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");

        // A fresh database would queue a golden-set evaluation at start; tests that want one ask for it.
        builder.UseSetting("Jobs:EvaluateOnStartIfMissed", "false");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            _state.Dispose();
        }
    }
}
