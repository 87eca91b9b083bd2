using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Ingest;
using SupportConsole.Tickets;

namespace SupportConsole.Api;

/// <summary>Source-generated JSON for the API's ticket answers, with the web defaults the reflection-based serializer used.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TicketView))]
[JsonSerializable(typeof(TicketReceipt))]
internal sealed partial class ApiJson : JsonSerializerContext;

/// <summary>Reads tickets into <see cref="TicketView"/>s.</summary>
public sealed class TicketQueries(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    public async Task<TicketView?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Decision)
            .Include(t => t.Draft)
            .Include(t => t.Receipts)
            .Include(t => t.Messages)
            .AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        return TicketViews.ToView(ticket, ticket.Decision, ticket.Draft, ticket.Receipts, ticket.Messages);
    }

    /// <summary>The view of a ticket this process has just decided, from the objects its rows were written from.</summary>
    public static TicketView ToView(DecidedTicket decided) =>
        TicketViews.ToView(decided.Ticket, decided.Decision, decided.Lists, decided.Draft, decided.Receipts, decided.Messages);
}
