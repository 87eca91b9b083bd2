using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SupportConsole.Data;

/// <summary>
/// Serialises start-up (migrations, seeding, registering the bundled model) between instances starting at the same
/// time on one PostgreSQL database: a session advisory lock, held on a connection of its own until disposed. On
/// SQLite there is one instance per file, so it is a no-op.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>Arbitrary but fixed: every SupportConsole instance asks for the same lock.</summary>
    private const long LockKey = 0x5C_0A50_1E00_0001;

    private readonly DbConnection? _connection;

    private StartupLock(DbConnection? connection) => _connection = connection;

    public static async Task<StartupLock> AcquireAsync(IDbContextFactory<SupportConsoleDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            return new StartupLock(null);
        }

        // A connection of its own, not the pooled context's: the lock must outlive this context.
        // SQL by hand: EF Core has no API for PostgreSQL advisory locks.
        var connection = (DbConnection)Activator.CreateInstance(db.Database.GetDbConnection().GetType(), db.Database.GetConnectionString())!;
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT pg_advisory_lock({LockKey})";
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StartupLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT pg_advisory_unlock({LockKey})";
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
