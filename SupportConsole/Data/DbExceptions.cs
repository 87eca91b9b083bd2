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
}
