using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SupportConsole.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class SupportConsoleDbContextDesignFactory : IDesignTimeDbContextFactory<SupportConsoleDbContext>
{
    public SupportConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SupportConsoleDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "supportconsole-design.db")}")
            .Options);
}

/// <summary>Lets <c>dotnet ef migrations add --context PostgresSupportConsoleDbContext</c> build the PostgreSQL model (no connection is made).</summary>
internal sealed class PostgresSupportConsoleDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresSupportConsoleDbContext>
{
    public PostgresSupportConsoleDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSupportConsoleDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=supportconsole_design")
            .Options);
}
