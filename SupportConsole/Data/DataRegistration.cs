using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace SupportConsole.Data;

public static class DataRegistration
{
    /// <summary>Options, the DbContext factory (SQLite in the state folder), the pipeline's group-commit writer and the database initializer.</summary>
    public static IHostApplicationBuilder AddSupportConsoleData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Pooled: every ticket creates a few short-lived contexts, and building a context's internal services is the
        // single largest cost EF Core adds per request otherwise.
        builder.Services.AddPooledDbContextFactory<SupportConsoleDbContext>((services, options) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            Directory.CreateDirectory(database.ResolveDataDirectory());
            options.UseSqlite(database.SqliteConnectionString())
                .AddInterceptors(new SqlitePragmaInterceptor(), new CacheInvalidationInterceptor(services.GetRequiredService<DataChanges>()))
                // A failed save (a duplicate ticket, a lost race) is handled and logged by the caller; EF's own
                // error-level log lines for it would be noise.
                .ConfigureWarnings(w => w.Log(
                    (RelationalEventId.CommandError, LogLevel.Debug),
                    (CoreEventId.SaveChangesFailed, LogLevel.Debug)))
                .EnableThreadSafetyChecks(false);
        });

        // ASP.NET Core Identity's stores take the context from the scope: hand them one from the pool.
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContext());
        builder.Services.AddOptions<CacheOptions>()
            .BindConfiguration(CacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DataChanges>();
        builder.Services.AddSingleton<GroupCommitWriter>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        return builder;
    }
}
