using Microsoft.EntityFrameworkCore;

namespace SupportConsole.Data;

/// <summary>
/// The same model on PostgreSQL. A context type of its own, so its migrations (Data/Migrations/Postgres) are kept apart
/// from SQLite's: the two providers differ in column types, and EF Core ties migrations to a context type.
/// </summary>
public sealed class PostgresSupportConsoleDbContext(DbContextOptions<PostgresSupportConsoleDbContext> options) : SupportConsoleDbContext(options);
