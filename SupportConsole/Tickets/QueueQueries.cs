using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Tickets;

/// <summary>The work queues of the console.</summary>
public enum Queue
{
    Suggest,
    Escalated,
    AutoResolved,

    /// <summary>Answered by an agent who waits on the customer.</summary>
    Pending,
}

/// <summary>What a queue can be sorted on.</summary>
public enum QueueSort
{
    Received,
    TimeLeft,
    Priority,
    Customer,
    Intent,
    Confidence,
    Updated,
}

/// <summary>Whose tickets a queue shows.</summary>
public enum AssigneeFilter
{
    Anyone,
    Mine,
    Unassigned,
}

/// <summary>
/// Filters of a queue view; empty means no filter. <see cref="Intent"/> matches any part of an intent's name
/// ("card" finds card_arrival and lost_or_stolen_card; spaces match underscores).
/// </summary>
public sealed record QueueFilter(string? Intent = null, string? Customer = null, string? Search = null, int? MaxAgeHours = null)
{
    public AssigneeFilter Assignee { get; init; } = AssigneeFilter.Anyone;

    /// <summary>The signed-in user, for <see cref="AssigneeFilter.Mine"/>.</summary>
    public string? Me { get; init; }
}

/// <summary>How a queue is ordered.</summary>
public sealed record QueueOrder(QueueSort Sort, bool Descending)
{
    /// <summary>Work queues show the oldest first (first come, first served); the answered ones the newest.</summary>
    public static QueueOrder DefaultFor(Queue queue) => queue is Queue.AutoResolved ? new(QueueSort.Received, true) : new(QueueSort.Received, false);
}

/// <summary>One row of a queue.</summary>
public sealed record QueueRow(Guid Id, string CustomerId, string? Subject, string Body, string Channel, string Status, string? Intent, double? Confidence,
    bool Certified, string? Band, DateTimeOffset IngestedAt)
{
    public TicketPriority Priority { get; init; } = TicketPriority.Normal;

    public DateTimeOffset? ReplyDueAt { get; init; }

    public string? AssignedTo { get; init; }

    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>The current decision routed a follow-up (the customer wrote again).</summary>
    public bool FollowUp { get; init; }

    public string Title => TicketTitles.Of(Subject, Body);

    /// <summary>Past its reply target at <paramref name="now"/>.</summary>
    public bool IsOverdue(DateTimeOffset now) => ReplyDueAt is { } due && due < now;
}

/// <summary>Counts and pages of the queues.</summary>
public sealed class QueueQueries(IDbContextFactory<SupportConsoleDbContext> contexts, TimeProvider clock)
{
    public static TicketStatus[] StatusesOf(Queue queue) => queue switch
    {
        Queue.Suggest => [TicketStatus.AwaitingApproval],
        Queue.Escalated => [TicketStatus.Escalated],
        Queue.Pending => [TicketStatus.Pending],
        _ => [TicketStatus.AutoResolved, TicketStatus.Answered],
    };

    /// <summary>The queue an open or pending ticket is in (null for the others).</summary>
    public static Queue? QueueOf(TicketStatus status) => status switch
    {
        TicketStatus.AwaitingApproval => Queue.Suggest,
        TicketStatus.Escalated => Queue.Escalated,
        TicketStatus.Pending => Queue.Pending,
        TicketStatus.AutoResolved or TicketStatus.Answered => Queue.AutoResolved,
        _ => null,
    };

    /// <summary>The queue's address (<c>/queues/{slug}</c>).</summary>
    public static string Slug(Queue queue) => queue switch
    {
        Queue.Suggest => "suggest",
        Queue.Escalated => "escalated",
        Queue.Pending => "pending",
        _ => "auto",
    };

    public static Queue? FromSlug(string? slug) => slug?.ToLowerInvariant() switch
    {
        "suggest" => Queue.Suggest,
        "escalated" => Queue.Escalated,
        "pending" => Queue.Pending,
        "auto" => Queue.AutoResolved,
        _ => null,
    };

    public async Task<IReadOnlyDictionary<Queue, int>> CountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return new Dictionary<Queue, int>
        {
            [Queue.Suggest] = await db.Tickets.CountAsync(t => t.Status == TicketStatus.AwaitingApproval, cancellationToken),
            [Queue.Escalated] = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Escalated, cancellationToken),
            [Queue.Pending] = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Pending, cancellationToken),
            [Queue.AutoResolved] = await db.Decisions.CountAsync(d => d.Band == ConfidenceBand.Auto, cancellationToken),
        };
    }

    /// <summary>Open tickets of the work queues past their reply target.</summary>
    public async Task<IReadOnlyDictionary<Queue, int>> OverdueAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rows = await db.Tickets.AsNoTracking()
            .Where(t => (t.Status == TicketStatus.AwaitingApproval || t.Status == TicketStatus.Escalated) && t.ReplyDueAt != null && t.ReplyDueAt < now)
            .GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => QueueOf(r.Key)!.Value, r => r.Count);
    }

    public Task<(IReadOnlyList<QueueRow> Rows, int Total)> PageAsync(Queue queue, QueueFilter filter, int page, int pageSize,
        CancellationToken cancellationToken = default) => PageAsync(queue, filter, QueueOrder.DefaultFor(queue), page, pageSize, cancellationToken);

    public async Task<(IReadOnlyList<QueueRow> Rows, int Total)> PageAsync(Queue queue, QueueFilter filter, QueueOrder order, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, queue, filter);
        var total = await query.CountAsync(cancellationToken);
        var rows = await Project(Ordered(query, order)).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (rows, total);
    }

    /// <summary>The given tickets as rows (to refresh rows on screen in place), whatever queue they are in now.</summary>
    public async Task<IReadOnlyList<QueueRow>> RowsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Project(db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id))).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The next ticket to work in <paramref name="queue"/> after <paramref name="current"/>, in the queue's default order:
    /// the user's own or nobody's, not <paramref name="skip"/> (others are looking at them); null when there is none.
    /// </summary>
    public async Task<Guid?> NextAsync(Queue queue, Guid current, string me, IReadOnlyCollection<Guid> skip, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, queue, new QueueFilter()).Where(t => t.Id != current && (t.AssignedTo == null || t.AssignedTo == me));
        var candidates = await Ordered(query, QueueOrder.DefaultFor(queue)).Select(t => t.Id).Take(skip.Count + 1).ToListAsync(cancellationToken);
        return candidates.Where(id => !skip.Contains(id)).Select(id => (Guid?)id).FirstOrDefault();
    }

    private IQueryable<Ticket> Filtered(SupportConsoleDbContext db, Queue queue, QueueFilter filter)
    {
        var statuses = StatusesOf(queue);
        var query = db.Tickets.AsNoTracking().Where(t => statuses.Contains(t.Status));
        if (queue == Queue.AutoResolved)
        {
            query = query.Where(t => t.Decision!.Band == ConfidenceBand.Auto);
        }

        if (!string.IsNullOrWhiteSpace(filter.Intent))
        {
            // Intent names are lower-case words joined by underscores.
            var term = filter.Intent.Trim().ToLowerInvariant().Replace(' ', '_');
            query = query.Where(t => EF.Functions.Like(t.Decision!.Intent, $"%{term}%"));
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

        query = filter.Assignee switch
        {
            AssigneeFilter.Mine => query.Where(t => t.AssignedTo == filter.Me),
            AssigneeFilter.Unassigned => query.Where(t => t.AssignedTo == null),
            _ => query,
        };
        return query;
    }

    private static IQueryable<Ticket> Ordered(IQueryable<Ticket> query, QueueOrder order)
    {
        // Ties go by arrival, so a page is stable; tickets with no reply target sort after those with one.
        var sorted = (order.Sort, order.Descending) switch
        {
            (QueueSort.TimeLeft, false) => query.OrderBy(t => t.ReplyDueAt == null).ThenBy(t => t.ReplyDueAt),
            (QueueSort.TimeLeft, true) => query.OrderBy(t => t.ReplyDueAt == null).ThenByDescending(t => t.ReplyDueAt),
            (QueueSort.Priority, false) => query.OrderBy(t => t.Priority == TicketPriority.Urgent ? 0 : t.Priority == TicketPriority.High ? 1 : t.Priority == TicketPriority.Normal ? 2 : 3),
            (QueueSort.Priority, true) => query.OrderByDescending(t => t.Priority == TicketPriority.Urgent ? 0 : t.Priority == TicketPriority.High ? 1 : t.Priority == TicketPriority.Normal ? 2 : 3),
            (QueueSort.Customer, false) => query.OrderBy(t => t.CustomerId),
            (QueueSort.Customer, true) => query.OrderByDescending(t => t.CustomerId),
            (QueueSort.Intent, false) => query.OrderBy(t => t.Decision!.Intent),
            (QueueSort.Intent, true) => query.OrderByDescending(t => t.Decision!.Intent),
            (QueueSort.Confidence, false) => query.OrderBy(t => t.Decision!.Confidence),
            (QueueSort.Confidence, true) => query.OrderByDescending(t => t.Decision!.Confidence),
            (QueueSort.Updated, false) => query.OrderBy(t => t.LastMessageAt ?? t.IngestedAt),
            (QueueSort.Updated, true) => query.OrderByDescending(t => t.LastMessageAt ?? t.IngestedAt),
            (_, false) => query.OrderBy(t => t.IngestedAt),
            (_, true) => query.OrderByDescending(t => t.IngestedAt),
        };
        return order.Sort == QueueSort.Received ? sorted.ThenBy(t => t.Id) : sorted.ThenBy(t => t.IngestedAt).ThenBy(t => t.Id);
    }

    private static IQueryable<QueueRow> Project(IQueryable<Ticket> query) => query.Select(t => new QueueRow(t.Id, t.CustomerId, t.Subject, t.Body, t.Channel,
        t.Status.ToString(), t.Decision!.Intent, t.Decision.Confidence, t.Decision.Certified, t.Decision.Band.ToString(), t.IngestedAt)
    {
        Priority = t.Priority,
        ReplyDueAt = t.ReplyDueAt,
        AssignedTo = t.AssignedTo,
        LastMessageAt = t.LastMessageAt,
        FollowUp = t.Decision.FollowUp,
    });
}
