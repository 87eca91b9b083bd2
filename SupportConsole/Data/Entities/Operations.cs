namespace SupportConsole.Data.Entities;

/// <summary>Who did what to which record, and when.</summary>
public sealed class AuditEvent
{
    /// <summary>Client-generated (version 7, time-ordered): inserts need no key read-back.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    public string? DetailsJson { get; set; }

    public static AuditEvent Record(DateTimeOffset at, string actor, string action, string entityType, string entityId, string? detailsJson = null) => new()
    {
        At = at,
        Actor = actor,
        Action = action,
        EntityType = entityType,
        EntityId = entityId,
        DetailsJson = detailsJson,
    };
}

/// <summary>The kinds of outbox message; each kind has its own destination.</summary>
public static class OutboxKinds
{
    /// <summary>
    /// A reply to the ticket's channel: by SMTP for a ticket that came from a mailbox (<c>Email:Smtp</c>), else to
    /// <c>Outbox:WebhookUrl</c>.
    /// </summary>
    public const string Reply = "reply";

    /// <summary>A failed golden-set evaluation, to <c>Evaluation:AlertWebhookUrl</c>.</summary>
    public const string EvaluationAlert = "evaluation-alert";

    /// <summary>A customer's spend crossing its budget's warning or limit, to <c>Budgets:AlertWebhookUrl</c>.</summary>
    public const string BudgetAlert = "budget-alert";
}

/// <summary>A message to deliver exactly once to its kind's webhook, retried until it is.</summary>
public sealed class OutboxMessage
{
    private static readonly System.Text.Json.JsonSerializerOptions PayloadJsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>The message id the receiver deduplicates on.</summary>
    public Guid Id { get; set; }

    /// <summary>The ticket a reply answers; null for messages about no ticket (alerts).</summary>
    public Guid? TicketId { get; set; }

    public required string Kind { get; set; }

    public required string PayloadJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>
    /// The message's id on its channel, fixed before the first attempt and kept (an email reply's <c>Message-ID</c>): a
    /// retry after a send whose outcome was lost goes out with the same id, so the receiver sees one message.
    /// </summary>
    public string? ChannelMessageId { get; set; }

    /// <summary>An alert (no ticket) of <paramref name="kind"/>, due now.</summary>
    public static OutboxMessage Alert(string kind, object payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        PayloadJson = System.Text.Json.JsonSerializer.Serialize(payload, PayloadJsonOptions),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>A reply to the ticket's channel (auto-resolved, or sent by an agent), due now.</summary>
    public static OutboxMessage Reply(Ticket ticket, string text, string? citedArticleId, string? citedArticleTitle, string? citedSection,
        string? sentBy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        TicketId = ticket.Id,
        Kind = OutboxKinds.Reply,
        PayloadJson = System.Text.Json.JsonSerializer.Serialize(new
        {
            ticketId = ticket.Id,
            channel = ticket.Channel,
            externalId = ticket.ExternalId,
            customerId = ticket.CustomerId,
            text,
            sentBy,
            citation = citedArticleId is null ? null : new { articleId = citedArticleId, articleTitle = citedArticleTitle, section = citedSection },
        }, PayloadJsonOptions),
        CreatedAt = now,
        NextAttemptAt = now,
    };
}

/// <summary>An API key; only its SHA-256 hash is stored, the prefix finds it.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    /// <summary>Space-separated scopes, e.g. <c>tickets:write tickets:read reports:read</c>.</summary>
    public required string Scopes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
