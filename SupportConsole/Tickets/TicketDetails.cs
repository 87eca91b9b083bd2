using Microsoft.EntityFrameworkCore;
using SupportConsole.Api;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Tickets;

/// <summary>Everything the Ticket page shows: the ticket and its decision, the customer's context, the cited sections.</summary>
public sealed record TicketDetail(
    TicketView Ticket,
    long Version,
    string? LabelledIntent,
    Customer? Customer,
    IReadOnlyList<CustomerTransaction> RecentTransactions,
    IReadOnlyDictionary<(string ArticleId, string Section), string> SectionTexts);

/// <summary>Loads a <see cref="TicketDetail"/> in one short-lived context.</summary>
public sealed class TicketDetails(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    public async Task<TicketDetail?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Decision).Include(t => t.Draft).Include(t => t.Receipts)
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        var view = TicketQueries.ToView(ticket, ticket.Decision, ticket.Draft, ticket.Receipts);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ticket.CustomerId, cancellationToken);
        var transactions = await db.CustomerTransactions.AsNoTracking().Where(t => t.CustomerId == ticket.CustomerId)
            .OrderByDescending(t => t.Date).Take(8).ToListAsync(cancellationToken);
        var articles = view.Decision?.Sources.Select(s => s.ArticleId).Distinct().ToList() ?? [];
        var sections = await db.KbSections.AsNoTracking().Where(s => articles.Contains(s.ArticleId)).ToListAsync(cancellationToken);
        return new TicketDetail(view, ticket.Version, ticket.LabelledIntent, customer, transactions,
            sections.ToDictionary(s => (s.ArticleId, s.Title), s => s.Body));
    }
}
