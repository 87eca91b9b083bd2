using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Data;

/// <summary>Configuration section <c>Database</c>: which provider and where its data lives.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Environment variable naming the state folder (SQLite file and everything else the app writes).</summary>
    public const string DataDirectoryVariable = "SUPPORTCONSOLE_DATA_DIR";

    /// <summary><c>Sqlite</c> (default, one machine).</summary>
    [RegularExpression("^(?i:sqlite)$", ErrorMessage = "Database:Provider must be Sqlite")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>State folder; defaults to SUPPORTCONSOLE_DATA_DIR, else ./var under the working directory.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Seed the demo tenant from <see cref="TenantDirectory"/> when the database is new.</summary>
    public bool SeedDemoTenant { get; set; } = true;

    /// <summary>Where the demo tenant's files are; relative paths resolve against the app's folder.</summary>
    public string TenantDirectory { get; set; } = "data/tenant";

    public string ResolveDataDirectory() =>
        Path.GetFullPath(DataDirectory
            ?? Environment.GetEnvironmentVariable(DataDirectoryVariable)
            ?? Path.Combine(Directory.GetCurrentDirectory(), "var"));

    public string SqliteConnectionString() => $"Data Source={Path.Combine(ResolveDataDirectory(), "supportconsole.db")};Pooling=True;Default Timeout=30";
}
