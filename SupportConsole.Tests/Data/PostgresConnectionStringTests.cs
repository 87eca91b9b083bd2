using Npgsql;
using SupportConsole.Data;

namespace SupportConsole.Tests.Data;

/// <summary>What the app adds to a PostgreSQL connection string, and that what the operator wrote wins.</summary>
public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void APlainConnectionStringGetsAutomaticPreparationAndNoResetOnClose()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Host=db.internal;Database=sc;Username=sc" };

        var tuned = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString());

        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("db.internal", tuned.Host);
        Assert.Equal("sc", tuned.Database);
    }

    [Fact]
    public void SettingsTheOperatorWroteAreKept()
    {
        var options = new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = "Host=db.internal;Database=sc;Username=sc;Max Auto Prepare=0;No Reset On Close=false",
        };

        var tuned = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString());

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.False(tuned.NoResetOnClose);
    }
}
