using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Operations;

/// <summary>Bulk import of labelled historical tickets: stored as training data, never routed, idempotent per row.</summary>
public static class HistoricalTickets
{
    public const string Customer = "historical";

    public static async Task<int> ImportAsync(IServiceProvider services, IReadOnlyList<LabelledText> rows, string channel, string source,
        CancellationToken cancellationToken)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();
        var clock = services.GetRequiredService<TimeProvider>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (!await db.Customers.AnyAsync(c => c.Id == Customer, cancellationToken))
        {
            db.Customers.Add(new Customer { Id = Customer, Name = "Historical tickets", CreatedAt = now });
        }

        // The external id is the row's content hash: importing the same file twice adds nothing.
        var candidates = rows.Select(r => (Row: r, ExternalId: ContentId(r))).DistinctBy(c => c.ExternalId).ToList();
        var ids = candidates.Select(c => c.ExternalId).ToList();
        var existing = (await db.Tickets.Where(t => t.Channel == channel && ids.Contains(t.ExternalId)).Select(t => t.ExternalId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var added = 0;
        foreach (var (row, externalId) in candidates.Where(c => !existing.Contains(c.ExternalId)))
        {
            db.Tickets.Add(new Ticket
            {
                Id = Guid.CreateVersion7(now),
                Channel = channel,
                ExternalId = externalId,
                CustomerId = Customer,
                Body = row.Text,
                ReceivedAt = now,
                IngestedAt = now,
                Status = TicketStatus.Historical,
                LabelledIntent = row.Category,
            });
            added++;
        }

        db.AuditEvents.Add(AuditEvent.Record(now, "cli", "tickets.imported", "tickets", channel, System.Text.Json.JsonSerializer.Serialize(new { source, rows = rows.Count, added })));
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    private static string ContentId(LabelledText row) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{row.Category}\n{row.Text}")))[..32];
}
