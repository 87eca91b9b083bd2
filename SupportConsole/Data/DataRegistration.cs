using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace SupportConsole.Data;

public static class DataRegistration
{
    /// <summary>
    /// Options, the DbContext factory (SQLite in the state folder, or PostgreSQL), the pipeline's group-commit writer and
    /// the database initializer. Code everywhere asks for <see cref="IDbContextFactory{SupportConsoleDbContext}"/>; on
    /// PostgreSQL it hands out the provider's own context type, which carries that provider's migrations.
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString ??= configuration.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Pooled: every ticket creates a few short-lived contexts, and building a context's internal services is the
        // single largest cost EF Core adds per request otherwise.
        if (ProviderOf(builder.Configuration) == DatabaseProvider.Postgres)
        {
            builder.Services.AddPooledDbContextFactory<PostgresSupportConsoleDbContext>((services, options) =>
                Configure(options.UseNpgsql(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.PostgresConnectionString()), services));
            builder.Services.AddSingleton<IDbContextFactory<SupportConsoleDbContext>>(services =>
                new BaseContextFactory<PostgresSupportConsoleDbContext>(services.GetRequiredService<IDbContextFactory<PostgresSupportConsoleDbContext>>()));
        }
        else
        {
            builder.Services.AddPooledDbContextFactory<SupportConsoleDbContext>((services, options) =>
            {
                var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                Directory.CreateDirectory(database.ResolveDataDirectory());
                Configure(options.UseSqlite(database.SqliteConnectionString()).AddInterceptors(new SqlitePragmaInterceptor()), services);
            });
        }

        // ASP.NET Core Identity's stores take the context from the scope: hand them one from the pool.
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContext());
        builder.Services.AddOptions<CacheOptions>()
            .BindConfiguration(CacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DataChanges>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<GateOptions>().BindConfiguration(GateOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        return builder;
    }

    /// <summary>The provider named in configuration (read at composition time: it decides what is registered).</summary>
    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        configuration.GetValue($"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}", DatabaseProvider.Sqlite);

    private static void Configure(DbContextOptionsBuilder options, IServiceProvider services) => options
        .AddInterceptors(new CacheInvalidationInterceptor(services.GetRequiredService<DataChanges>()))
        // A failed save (a duplicate ticket, a lost race) is handled and logged by the caller; EF's own error-level
        // log lines for it would be noise.
        .ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)))
        .EnableThreadSafetyChecks(false);

    /// <summary>Hands out a provider's derived context as the base type the rest of the app uses.</summary>
    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SupportConsoleDbContext>
        where TContext : SupportConsoleDbContext
    {
        public SupportConsoleDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<SupportConsoleDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
