using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Tickets;

/// <summary>The three work queues of the console.</summary>
public enum Queue
{
    Suggest,
    Escalated,
    AutoResolved,
}

/// <summary>Filters of a queue view; empty means no filter.</summary>
public sealed record QueueFilter(string? Intent = null, string? Customer = null, string? Search = null, int? MaxAgeHours = null);

/// <summary>One row of a queue.</summary>
public sealed record QueueRow(Guid Id, string CustomerId, string? Subject, string Body, string Channel, string Status, string? Intent, double? Confidence,
    bool Certified, string? Band, DateTimeOffset IngestedAt);

/// <summary>Counts and pages of the queues, newest first.</summary>
public sealed class QueueQueries(IDbContextFactory<SupportConsoleDbContext> contexts, TimeProvider clock)
{
    public static TicketStatus[] StatusesOf(Queue queue) => queue switch
    {
        Queue.Suggest => [TicketStatus.AwaitingApproval],
        Queue.Escalated => [TicketStatus.Escalated],
        _ => [TicketStatus.AutoResolved, TicketStatus.Answered],
    };

    public async Task<IReadOnlyDictionary<Queue, int>> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return new Dictionary<Queue, int>
        {
            [Queue.Suggest] = await db.Tickets.CountAsync(t => t.Status == TicketStatus.AwaitingApproval, cancellationToken),
            [Queue.Escalated] = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Escalated, cancellationToken),
            [Queue.AutoResolved] = await db.Decisions.CountAsync(d => d.Band == ConfidenceBand.Auto, cancellationToken),
        };
    }

    public async Task<(IReadOnlyList<QueueRow> Rows, int Total)> PageAsync(Queue queue, QueueFilter filter, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var statuses = StatusesOf(queue);
        var query = db.Tickets.AsNoTracking().Where(t => statuses.Contains(t.Status));
        if (queue == Queue.AutoResolved)
        {
            query = query.Where(t => t.Decision!.Band == ConfidenceBand.Auto);
        }

        if (!string.IsNullOrWhiteSpace(filter.Intent))
        {
            query = query.Where(t => t.Decision!.Intent == filter.Intent);
        }

        if (!string.IsNullOrWhiteSpace(filter.Customer))
        {
            query = query.Where(t => t.CustomerId == filter.Customer.Trim());
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            query = query.Where(t => EF.Functions.Like(t.Body, $"%{term}%") || (t.Subject != null && EF.Functions.Like(t.Subject, $"%{term}%")));
        }

        if (filter.MaxAgeHours is { } hours)
        {
            var since = clock.GetUtcNow().AddHours(-hours);
            query = query.Where(t => t.IngestedAt >= since);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(t => t.IngestedAt)
            .Skip(page * pageSize).Take(pageSize)
            .Select(t => new QueueRow(t.Id, t.CustomerId, t.Subject, t.Body, t.Channel, t.Status.ToString(), t.Decision!.Intent,
                t.Decision.Confidence, t.Decision.Certified, t.Decision.Band.ToString(), t.IngestedAt))
            .ToListAsync(cancellationToken);
        return (rows, total);
    }
}
