using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Tickets;

/// <summary>What an entry of the conversation is.</summary>
public enum ThreadEntryKind
{
    /// <summary>The customer wrote (the ticket's first message, or a follow-up).</summary>
    Customer,

    /// <summary>The engine answered on its own.</summary>
    AutoReply,

    /// <summary>An agent answered.</summary>
    AgentReply,

    /// <summary>An agent's note to other agents: never sent.</summary>
    Note,
}

/// <summary>How one customer message was routed.</summary>
public sealed record MessageRouting(string Intent, double Confidence, bool Certified, ConfidenceBand Band, bool Current);

/// <summary>One entry of the conversation as the ticket page shows it, in order.</summary>
public sealed record ThreadEntry(ThreadEntryKind Kind, DateTimeOffset At, string Author, string Body, string? ExternalId, string? Delivery,
    MessageRouting? Routing)
{
    /// <summary>The message as the customer sent it, when the channel took quoted history or a signature out for routing.</summary>
    public string? OriginalBody { get; init; }

    /// <summary>The files that came with the message (never routed).</summary>
    public IReadOnlyList<AttachmentInfo> Attachments { get; init; } = [];
}

/// <summary>A file that came with a customer's message; <see cref="RefusedReason"/> when it was not stored.</summary>
public sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long SizeBytes, string? RefusedReason);

/// <summary>One event of the ticket's history, in words.</summary>
public sealed record HistoryEntry(DateTimeOffset At, string Actor, string What, string? Details);

/// <summary>Another ticket of the same customer.</summary>
public sealed record EarlierTicket(Guid Id, string Title, TicketStatus Status, DateTimeOffset IngestedAt);

/// <summary>Everything the Ticket page shows: the conversation, its current decision, the history, the customer's context, the cited sections.</summary>
public sealed record TicketDetail(
    TicketView Ticket,
    TicketStatus Status,
    long Version,
    string? LabelledIntent,
    Customer? Customer,
    IReadOnlyList<CustomerTransaction> RecentTransactions,
    IReadOnlyDictionary<(string ArticleId, string Section), string> SectionTexts,
    IReadOnlyList<ThreadEntry> Thread,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<EarlierTicket> EarlierTickets,
    DraftReview? DraftReview)
{
    /// <summary>The page's title: the subject, or the first words of the first message.</summary>
    public string Title => TicketTitles.Of(Ticket.Subject, Ticket.Body);

    /// <summary>The current decision escalated a vulnerable customer (a safeguard fired): the page shows a banner.</summary>
    public bool Safeguarded => Ticket.Decision?.Reasons.Any(r => r.Code == BandGate.SafeguardCode) == true;

    public TicketPriority Priority => Enum.TryParse<TicketPriority>(Ticket.Priority, ignoreCase: true, out var p) ? p : TicketPriority.Normal;

    /// <summary>The draft still answers the ticket (not sent, not rejected): the editor starts from it.</summary>
    public bool HasUsableDraft => Ticket.Draft is { SentText: null } && DraftReview != Data.Entities.DraftReview.Rejected;
}

/// <summary>Titles of tickets where there is no subject: the first words of the message.</summary>
public static class TicketTitles
{
    public const int MaxLength = 80;

    public static string Of(string? subject, string body)
    {
        var text = (string.IsNullOrWhiteSpace(subject) ? body : subject).ReplaceLineEndings(" ").Trim();
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', MaxLength);
        return text[..(cut > MaxLength / 2 ? cut : MaxLength)] + "\u2026";
    }
}

/// <summary>Loads a <see cref="TicketDetail"/> in one short-lived context.</summary>
public sealed class TicketDetails(IDbContextFactory<SupportConsoleDbContext> contexts)
{
    /// <summary>How many of the customer's other tickets the page lists.</summary>
    public const int EarlierTicketCount = 10;

    public async Task<TicketDetail?> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking()
            .Include(t => t.Decision).Include(t => t.Draft).Include(t => t.Receipts).Include(t => t.Messages)
            .AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return null;
        }

        var view = TicketViews.ToView(ticket, ticket.Decision, ticket.Draft, ticket.Receipts, ticket.Messages);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ticket.CustomerId, cancellationToken);
        var transactions = await db.CustomerTransactions.AsNoTracking().Where(t => t.CustomerId == ticket.CustomerId)
            .OrderByDescending(t => t.Date).Take(8).ToListAsync(cancellationToken);
        var articles = view.Decision?.Sources.Select(s => s.ArticleId).Distinct().ToList() ?? [];
        var sections = await db.KbSections.AsNoTracking().Where(s => articles.Contains(s.ArticleId)).ToListAsync(cancellationToken);

        var decisions = await db.Decisions.IgnoreQueryFilters().AsNoTracking().Where(d => d.TicketId == id)
            .Select(d => new { d.Id, d.MessageId, d.Intent, d.Confidence, d.Certified, d.Band, d.SupersededAt })
            .ToListAsync(cancellationToken);
        var routings = decisions.Where(d => d.MessageId is not null).GroupBy(d => d.MessageId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.SupersededAt is null).Last());
        var outbox = ticket.Messages.Where(m => m.OutboxMessageId is not null).Select(m => m.OutboxMessageId!.Value).ToList();
        var deliveries = await db.OutboxMessages.AsNoTracking().Where(m => outbox.Contains(m.Id))
            .Select(m => new { m.Id, m.DeliveredAt, m.Attempts, m.LastError }).ToDictionaryAsync(m => m.Id, cancellationToken);
        var notes = await db.TicketNotes.AsNoTracking().Where(n => n.TicketId == id).ToListAsync(cancellationToken);
        var attachments = (await db.TicketAttachments.AsNoTracking().Where(a => a.TicketId == id).OrderBy(a => a.Position)
                .Select(a => new { a.MessageId, Info = new AttachmentInfo(a.Id, a.FileName, a.ContentType, a.SizeBytes, a.RefusedReason) })
                .ToListAsync(cancellationToken))
            .ToLookup(a => a.MessageId, a => a.Info);

        var thread = new List<ThreadEntry>();
        foreach (var m in ticket.Messages)
        {
            if (m.Direction == MessageDirection.Inbound)
            {
                var routing = routings.TryGetValue(m.Id, out var r)
                    ? new MessageRouting(r.Intent, r.Confidence, r.Certified, r.Band, r.SupersededAt is null)
                    : null;
                thread.Add(new ThreadEntry(ThreadEntryKind.Customer, m.At, m.Author, m.Body, m.ExternalId, m.RoutingPending ? "being routed" : null, routing)
                {
                    OriginalBody = m.OriginalBody,
                    Attachments = [.. attachments[m.Id]],
                });
            }
            else
            {
                var delivery = m.OutboxMessageId is { } o && deliveries.TryGetValue(o, out var d)
                    ? d.DeliveredAt is not null ? "delivered" : d.Attempts > 0 ? $"not delivered yet ({d.Attempts} attempts)" : "waiting for delivery"
                    : null;
                thread.Add(new ThreadEntry(m.Author == TicketMessage.EngineAuthor ? ThreadEntryKind.AutoReply : ThreadEntryKind.AgentReply, m.At, m.Author,
                    m.Body, m.ExternalId, delivery, null));
            }
        }

        // Tickets from before conversations kept the reply only on the draft.
        if (ticket.Messages.All(m => m.Direction == MessageDirection.Inbound) && ticket.Draft is { SentText: { } sent } legacy)
        {
            thread.Add(new ThreadEntry(legacy.EditedBy is null ? ThreadEntryKind.AutoReply : ThreadEntryKind.AgentReply,
                legacy.EditedAt ?? ticket.DecidedAt ?? ticket.IngestedAt, legacy.EditedBy ?? TicketMessage.EngineAuthor, sent, null, null, null));
        }

        thread.AddRange(notes.Select(n => new ThreadEntry(ThreadEntryKind.Note, n.CreatedAt, n.Author, n.Body, null, null, null)));
        thread.Sort((a, b) => a.At.CompareTo(b.At));

        var ticketId = id.ToString();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.EntityType == "ticket" && e.EntityId == ticketId)
            .OrderBy(e => e.At).ToListAsync(cancellationToken);
        var history = events.Select(e => AuditDescriptions.Describe(e) is var d ? new HistoryEntry(e.At, e.Actor, d.What, d.Details) : null!).ToList();

        var earlier = await db.Tickets.AsNoTracking()
            .Where(t => t.CustomerId == ticket.CustomerId && t.Id != id && t.Status != TicketStatus.Historical)
            .OrderByDescending(t => t.IngestedAt).Take(EarlierTicketCount)
            .Select(t => new { t.Id, t.Subject, t.Body, t.Status, t.IngestedAt })
            .ToListAsync(cancellationToken);

        return new TicketDetail(view, ticket.Status, ticket.Version, ticket.LabelledIntent, customer, transactions,
            sections.ToDictionary(s => (s.ArticleId, s.Title), s => s.Body), thread, history,
            [.. earlier.Select(t => new EarlierTicket(t.Id, TicketTitles.Of(t.Subject, t.Body), t.Status, t.IngestedAt))], ticket.Draft?.Review);
    }

    /// <summary>A stored attachment of the ticket (null when there is none with this id, or it was refused).</summary>
    public async Task<(string FileName, byte[] Content)?> AttachmentAsync(Guid ticketId, Guid attachmentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var file = await db.TicketAttachments.AsNoTracking()
            .Where(a => a.Id == attachmentId && a.TicketId == ticketId && a.Content != null)
            .Select(a => new { a.FileName, a.Content })
            .FirstOrDefaultAsync(cancellationToken);
        return file is null ? null : (file.FileName, file.Content!);
    }
}
