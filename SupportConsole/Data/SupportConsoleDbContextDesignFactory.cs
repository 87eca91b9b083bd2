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
