using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Data;

/// <summary>Which database the console runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file in the state folder: the embedded default, one machine.</summary>
    Sqlite,

    /// <summary>PostgreSQL (<c>ConnectionStrings:SupportConsole</c>): several instances on one database.</summary>
    Postgres,
}

/// <summary>Configuration section <c>Database</c>: which provider and where its data lives.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";

    /// <summary>The connection string name (<c>ConnectionStrings:SupportConsole</c>) used on PostgreSQL.</summary>
    public const string ConnectionStringName = "SupportConsole";

    /// <summary>Environment variable naming the state folder (SQLite file and everything else the app writes).</summary>
    public const string DataDirectoryVariable = "SUPPORTCONSOLE_DATA_DIR";

    /// <summary><c>Sqlite</c> (default, one machine) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>State folder; defaults to SUPPORTCONSOLE_DATA_DIR, else ./var under the working directory.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Seed the demo tenant from <see cref="TenantDirectory"/> when the database is new.</summary>
    public bool SeedDemoTenant { get; set; } = true;

    /// <summary>Where the demo tenant's files are; relative paths resolve against the app's folder.</summary>
    public string TenantDirectory { get; set; } = "data/tenant";

    /// <summary>The built-in safeguard hard rules (installed in every database at start); relative paths resolve against the app's folder.</summary>
    public string SafeguardRulesFile { get; set; } = "data/safeguards/hard-rules.json";

    /// <summary>Apply pending migrations at start (operators who prefer <c>db migrate</c> turn this off).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The PostgreSQL connection string, bound from <c>ConnectionStrings:SupportConsole</c>.</summary>
    public string? ConnectionString { get; set; }

    public string ResolveDataDirectory() =>
        Path.GetFullPath(DataDirectory
            ?? Environment.GetEnvironmentVariable(DataDirectoryVariable)
            ?? Path.Combine(Directory.GetCurrentDirectory(), "var"));

    /// <summary>
    /// The PostgreSQL connection string with what the pipeline needs where it does not say otherwise: statements it runs
    /// again and again prepared by Npgsql (<c>Max Auto Prepare</c>), and no <c>DISCARD ALL</c> each time a pooled
    /// connection is taken (it cost a round trip per context and dropped the prepared statements; the app keeps no
    /// session state on pooled connections: its listener and startup lock have their own).
    /// </summary>
    public string PostgresConnectionString()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        if (!ConnectionString!.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!ConnectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    public string SqliteConnectionString() => $"Data Source={Path.Combine(ResolveDataDirectory(), "supportconsole.db")};Pooling=True;Default Timeout=30";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult($"Database:Provider is Postgres but ConnectionStrings:{ConnectionStringName} is not set",
                [nameof(ConnectionString)]);
        }
    }
}
