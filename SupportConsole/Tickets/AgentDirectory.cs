using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;

namespace SupportConsole.Tickets;

/// <summary>The people a ticket can be assigned to: every user of the console (every role works the queues), by user name.</summary>
public sealed class AgentDirectory(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.UserName != null).OrderBy(u => u.UserName).Select(u => u.UserName!).ToListAsync(cancellationToken);
    }
}
