using Microsoft.EntityFrameworkCore;

namespace SupportConsole.Data;

/// <summary>Recognises database errors by meaning, whichever provider raised them.</summary>
public static class DbExceptions
{
    /// <summary>True when a save failed because a unique index already holds the value (SQLite 19/2067, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException is { } inner && IsUniqueViolation(inner);

    /// <summary>The same for a statement run without EF Core (a provider exception, or one wrapping it).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19
            && sqlite.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase),
        DbUpdateException update => IsUniqueViolation(update),
        { } other when other.GetType().Name == "PostgresException" =>
            other.GetType().GetProperty("SqlState")?.GetValue(other) as string == "23505",
        _ => false,
    };

    /// <summary>
    /// True when a transaction lost a race with another one and may simply be tried again: optimistic concurrency, SQLite
    /// busy (5, 517 for a stale snapshot), PostgreSQL serialization failure (40001) or deadlock (40P01).
    /// </summary>
    public static bool IsConflict(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 5 || sqlite.SqliteExtendedErrorCode == 517,
        { } other when other.GetType().Name == "PostgresException" =>
            other.GetType().GetProperty("SqlState")?.GetValue(other) is "40001" or "40P01",
        { InnerException: { } inner } => IsConflict(inner),
        _ => false,
    };
}
