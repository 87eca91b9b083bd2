using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data.Seeding;

namespace SupportConsole.Data;

/// <summary>Brings the database to the current schema and, when it is new, seeds the demo tenant and the default settings.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    IOptions<DatabaseOptions> options,
    SettingsStore settings,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers (queues, dashboards) run while the pipeline writes; it persists in the file.
            // SQL by hand: EF Core has no API for SQLite pragmas.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        if (options.Value.MigrateOnStart)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        else if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList() is { Count: > 0 } pending)
        {
            throw new InvalidOperationException(
                $"the database needs {pending.Count} migration(s) ({pending[^1]}); run `db migrate` or set Database:MigrateOnStart=true");
        }

        await settings.EnsureDefaultsAsync(db, cancellationToken);

        if (options.Value.SeedDemoTenant && !await db.KbArticles.AnyAsync(cancellationToken))
        {
            var directory = AppPaths.Bundled(options.Value.TenantDirectory);
            var tenant = TenantFiles.Load(directory);
            await TenantSeeder.SeedAsync(db, tenant, clock, cancellationToken);
            logger.LogInformation("Seeded the demo tenant from {Directory}: {Articles} articles, {Customers} customers",
                directory, tenant.Articles.Count, tenant.Customers.Count);
        }

        // Safeguards are part of the promise, not of a tenant: every database has them, seeded or not.
        var safeguards = TenantFiles.ReadHardRules(AppPaths.Bundled(options.Value.SafeguardRulesFile));
        if (await SafeguardRules.InstallAsync(db, safeguards, settings, clock, cancellationToken) is var installed and > 0)
        {
            logger.LogInformation("Installed or updated {Count} safeguard rule(s)", installed);
        }
    }
}
