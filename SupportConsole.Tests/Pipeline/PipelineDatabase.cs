using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using SupportConsole.Data;
using SupportConsole.Ingest;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Pipeline;

/// <summary>
/// The app's data layer alone (the real DbContext factory, interceptors and group-commit writer) on a fresh, migrated
/// SQLite file without the demo tenant (or a fresh PostgreSQL database with SUPPORTCONSOLE_TEST_PROVIDER=Postgres),
/// with a clock whose monotonic time only moves when a test says so.
/// </summary>
public sealed class PipelineDatabase : IDisposable
{
    private readonly TemporaryDirectory _state = new();
    private readonly IHost _host;
    private readonly TestDatabase? _postgres = PostgresServer.IsTestProvider ? PostgresServer.CreateDatabase() : null;

    public PipelineDatabase(int cacheMilliseconds = 1000)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Database:DataDirectory"] = _state.Path;
        builder.Configuration["Database:SeedDemoTenant"] = "false";
        if (_postgres is not null)
        {
            builder.Configuration["Database:Provider"] = "Postgres";
            builder.Configuration["ConnectionStrings:SupportConsole"] = _postgres.ConnectionString;
        }

        builder.Configuration["Caches:SettingsMilliseconds"] = cacheMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Caches:CustomerRecordsMilliseconds"] = cacheMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Logging.ClearProviders();
        builder.AddSupportConsoleData();
        builder.Services.AddOptions<GateOptions>().BindConfiguration(GateOptions.SectionName);
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddSingleton<CustomerRecordsCache>();
        _host = builder.Build();
        Services.GetRequiredService<DatabaseInitializer>().InitializeAsync().GetAwaiter().GetResult();
    }

    public ManualClock Clock { get; } = new();

    public IServiceProvider Services => _host.Services;

    public IDbContextFactory<SupportConsoleDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();

    public GroupCommitWriter Writer => Services.GetRequiredService<GroupCommitWriter>();

    public SettingsStore Settings => Services.GetRequiredService<SettingsStore>();

    public CustomerRecordsCache Customers => Services.GetRequiredService<CustomerRecordsCache>();

    public void Dispose()
    {
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        _postgres?.Dispose();
        _state.Dispose();
    }

    /// <summary>Real wall-clock time, but a monotonic timestamp that stands still until <see cref="Advance"/>.</summary>
    public sealed class ManualClock : TimeProvider
    {
        private long _timestamp = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);
    }
}
