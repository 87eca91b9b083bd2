using System.CommandLine;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SupportConsole.Data;
using SupportConsole.Hosting;

namespace SupportConsole.Cli;

/// <summary><c>db migrate</c> and <c>db copy</c>: bring a database to the current schema; move an embedded installation to PostgreSQL.</summary>
internal static class DatabaseCommands
{
    private static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error) => new("db", "Database schema and moving between providers.")
    {
        Migrate(output),
        Copy(output, error),
    };

    private static Command Migrate(TextWriter output)
    {
        var provider = new Option<DatabaseProvider?>("--provider") { Description = "Sqlite or Postgres (default: the configured Database:Provider)." };
        var connection = new Option<string?>("--connection") { Description = "PostgreSQL connection string (default: ConnectionStrings:SupportConsole)." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "State folder of a SQLite installation (default SUPPORTCONSOLE_DATA_DIR, else ./var)." };
        var command = new Command("migrate", "Apply the pending schema migrations, and nothing else (no seeding).") { provider, connection, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = new List<string>();
            if (parse.GetValue(provider) is { } chosen)
            {
                args.Add($"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}={chosen}");
            }

            if (parse.GetValue(connection) is { } connectionString)
            {
                args.Add($"--ConnectionStrings:{DatabaseOptions.ConnectionStringName}={connectionString}");
            }

            if (parse.GetValue(dataDirectory) is { } directory)
            {
                args.Add($"--{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.DataDirectory)}={Path.GetFullPath(directory)}");
            }

            using var host = SupportConsoleApp.BuildWorkerHost([.. args]);
            await using var db = await host.Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>().CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(new
            {
                provider = db.Database.ProviderName,
                applied = pending,
                current = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault(),
            }, IndentedJson));
            return 0;
        });
        return command;
    }

    private static Command Copy(TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = "The SQLite file of the embedded installation (supportconsole.db).", Required = true };
        var to = new Option<string>("--to") { Description = "PostgreSQL connection string of an empty (or new) database.", Required = true };
        var command = new Command("copy",
            "Copy every table of a SQLite installation into an empty PostgreSQL database, then print rows and a checksum per table on both sides.")
        {
            from, to,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = Path.GetFullPath(parse.GetRequiredValue(from));
            if (!File.Exists(file))
            {
                throw new IOException($"{file}: no such SQLite file");
            }

            NpgsqlConnectionStringBuilder target;
            try
            {
                target = new NpgsqlConnectionStringBuilder(parse.GetRequiredValue(to));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--to is not a PostgreSQL connection string: {e.Message}", e);
            }

            await using var source = new SupportConsoleDbContext(new DbContextOptionsBuilder<SupportConsoleDbContext>()
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString()).Options);
            if ((await source.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                throw new InvalidOperationException($"{file} is on an older schema; start the console on it once (or run db migrate --data-dir) first");
            }

            await using var destination = new PostgresSupportConsoleDbContext(new DbContextOptionsBuilder<PostgresSupportConsoleDbContext>()
                .UseNpgsql(target.ToString()).Options);
            await destination.Database.MigrateAsync(cancellationToken);
            var occupied = await DatabaseCopier.NonEmptyTablesAsync(destination, cancellationToken);
            if (occupied.Count > 0)
            {
                throw new InvalidOperationException($"the target database is not empty ({string.Join(", ", occupied.Take(5))}); copy into a new database");
            }

            var tables = await DatabaseCopier.CopyAsync(source, destination, new Progress<string>(line => error.WriteLine(line)), cancellationToken);
            output.WriteLine(JsonSerializer.Serialize(new
            {
                from = file,
                to = $"{target.Host}:{target.Port}/{target.Database}",
                tables,
                rows = tables.Sum(t => t.TargetRows),
                allMatch = tables.All(t => t.Matches),
            }, IndentedJson));
            if (tables.Any(t => !t.Matches))
            {
                await error.WriteLineAsync($"error: {tables.Count(t => !t.Matches)} table(s) differ after the copy: {string.Join(", ", tables.Where(t => !t.Matches).Select(t => t.Table))}");
                return SupportConsoleCommandLine.Failure;
            }

            return 0;
        });
        return command;
    }
}
