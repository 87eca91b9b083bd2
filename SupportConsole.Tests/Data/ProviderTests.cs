using Microsoft.EntityFrameworkCore;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Data;

/// <summary>The provider-neutral integration tests really run on the provider the test run asked for.</summary>
public sealed class ProviderTests
{
    [Fact]
    public async Task TheAppRunsOnTheProviderTheTestRunChose()
    {
        using var app = new AppFactory();
        await using var db = app.Database();

        Assert.Equal(PostgresServer.IsTestProvider ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(240, await db.Customers.CountAsync());
    }

    [Fact]
    public void TheCheckedInMigrationsMatchTheModelOnBothProviders()
    {
        // What `dotnet ef migrations has-pending-model-changes` checks: a model change without its migration fails here.
        using var sqlite = new SupportConsole.Data.SupportConsoleDbContextDesignFactory().CreateDbContext([]);
        using var postgres = new SupportConsole.Data.PostgresSupportConsoleDbContextDesignFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite model snapshot is behind the model: add a migration");
        Assert.False(postgres.Database.HasPendingModelChanges(), "the PostgreSQL model snapshot is behind the model: add a migration");
    }
}
