using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SupportConsole.Data;
using SupportConsole.Hosting;

namespace SupportConsole.Operations;

/// <summary>
/// A fresh console in this process (real Kestrel on 127.0.0.1, a free port, a temporary state folder deleted afterwards),
/// built as Program builds it: what the in-process benchmarks and the soak run against.
/// </summary>
public sealed class TemporaryInstance : IAsyncDisposable
{
    private TemporaryInstance(WebApplication app, string stateDirectory)
    {
        App = app;
        StateDirectory = stateDirectory;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public string StateDirectory { get; }

    public Uri Address => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Starts an instance; <paramref name="settings"/> override configuration, logs go to stderr from warnings up unless <paramref name="logging"/> says otherwise.</summary>
    public static async Task<TemporaryInstance> StartAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken,
        Action<ILoggingBuilder>? logging = null)
    {
        var state = Path.Combine(Path.GetTempPath(), $"supportconsole-bench-{Guid.NewGuid():N}");
        // Named as the app, not the process hosting it (a test host), so its static web assets manifest is found.
        // Settings go in as arguments, the highest-precedence source, so what is read while the features register (the
        // database provider) sees them too.
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--applicationName", typeof(SupportConsoleApp).Assembly.GetName().Name!,
            $"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DataDirectory)}={state}",
            $"--Logging:LogLevel:Default={nameof(LogLevel.Warning)}",
            .. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}"),
        ];
        var app = SupportConsoleApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            logging?.Invoke(builder.Logging);
        });
        var instance = new TemporaryInstance(app, state);
        try
        {
            await app.StartAsync(cancellationToken);
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }
}
