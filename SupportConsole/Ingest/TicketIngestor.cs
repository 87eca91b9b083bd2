using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Ingest;

/// <summary>A ticket as a channel delivers it; with <see cref="InReplyTo"/>, the customer's follow-up in a conversation.</summary>
public sealed record InboundTicket(string? ExternalId, string? CustomerId, string? Channel, string? Subject, string? Body, DateTimeOffset? ReceivedAt)
{
    /// <summary>The external id of an earlier message on the same channel (the customer's, or a reply's message id).</summary>
    public string? InReplyTo { get; init; }

    /// <summary>A channel's own thread id (a chat conversation), kept with the message.</summary>
    public string? ThreadKey { get; init; }

    /// <summary>The message as sent, when the channel took quoted history or a signature out of <see cref="Body"/>.</summary>
    public string? OriginalBody { get; init; }

    /// <summary>The channel's reason to keep the message from an auto reply, stored with it (recovery routes it the same way).</summary>
    public ChannelHold? Hold { get; init; }
}

/// <summary>A message as stored under its (channel, external id), with its ticket and the ticket's customer.</summary>
public sealed record StoredMessage(Guid TicketId, string CustomerId, string? Subject, string Body, string? InReplyTo)
{
    /// <summary>
    /// The same message sent again: customer, subject, body and the message it answers are what was stored (surrounding
    /// white space of the identifiers and the subject aside, as ingest trims them).
    /// </summary>
    public bool IsRepeatOf(InboundTicket inbound) =>
        inbound.CustomerId?.Trim() == CustomerId
        && (string.IsNullOrWhiteSpace(inbound.Subject) ? null : inbound.Subject.Trim()) == Subject
        && inbound.Body == Body
        && (string.IsNullOrWhiteSpace(inbound.InReplyTo) ? null : inbound.InReplyTo.Trim()) == InReplyTo;
}

/// <summary>Why an inbound ticket was refused: field name and message, for problem details.</summary>
public sealed record IngestValidationError(string Field, string Message);

/// <summary>
/// The outcome of ingest: a new ticket, a follow-up appended to one (<see cref="FollowUp"/>; <see cref="TicketId"/> is the
/// conversation's ticket), the original of a repeat, or the validation errors.
/// </summary>
public sealed record IngestResult(Guid? TicketId, bool Created, IReadOnlyList<IngestValidationError> Errors, IngestTiming? Timing)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The stored ticket when this call created it.</summary>
    public Ticket? Ticket { get; init; }

    /// <summary>The first message of <see cref="Ticket"/> as stored (with what it answered, when it continues a closed conversation).</summary>
    public TicketMessage? FirstMessage { get; init; }

    /// <summary>The customer's follow-up this call appended to <see cref="TicketId"/>'s conversation.</summary>
    public TicketMessage? FollowUp { get; init; }

    /// <summary>For a repeat, what was stored under its (channel, external id): the channel compares the repeat with it.</summary>
    public StoredMessage? Repeat { get; init; }

    public static IngestResult Repeated(StoredMessage stored) => new(stored.TicketId, false, [], null) { Repeat = stored };

    public static IngestResult Invalid(params IngestValidationError[] errors) => new(null, false, errors, null);
}

/// <summary>What the ingest audit event records.</summary>
internal sealed record IngestedDetails(string Channel, string ExternalId, string CustomerId)
{
    public string? InReplyTo { get; init; }
}

/// <summary>What the audit event of a follow-up records.</summary>
internal sealed record MessageReceivedDetails(Guid MessageId, string Channel, string ExternalId, string InReplyTo);

[JsonSerializable(typeof(IngestedDetails))]
[JsonSerializable(typeof(MessageReceivedDetails))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class IngestJson : JsonSerializerContext;

/// <summary>Configuration section <c>Ingest</c>: limits on what a channel may send.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    [System.ComponentModel.DataAnnotations.Range(1024, 10_000_000)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    [System.ComponentModel.DataAnnotations.Range(1, 1_000_000)]
    public int MaxBodyCharacters { get; set; } = 20_000;

    /// <summary>A <c>receivedAt</c> before this is a client's bug (an unset date, seconds read as milliseconds), not a ticket.</summary>
    public DateTimeOffset EarliestReceivedAt { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far a channel's clock may run ahead of ours.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 24 * 7)]
    public double MaxClockAheadHours { get; set; } = 24;
}

/// <summary>
/// Stores an inbound ticket before anything else happens, idempotently on (channel, external id) of its message; a
/// customer id never seen before becomes a customer with no records. A message in reply to an earlier one of the same
/// channel (<see cref="InboundTicket.InReplyTo"/>) is appended to that conversation's ticket, unless the ticket is
/// closed (then it starts a new ticket). Nothing is stored for an invalid ticket.
/// </summary>
public sealed partial class TicketIngestor(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    GroupCommitWriter writer,
    IOptions<IngestOptions> options,
    TimeProvider clock)
{
    /// <summary>Customers known to exist: saves an insert attempt per ticket (customers are never deleted).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _knownCustomers = new(StringComparer.Ordinal);

    public const int MaxExternalIdLength = 128;
    public const int MaxCustomerIdLength = 64;
    public const int MaxSubjectLength = 512;

    public IReadOnlyList<IngestValidationError> Validate(InboundTicket ticket)
    {
        var errors = new List<IngestValidationError>();
        Require(errors, "externalId", ticket.ExternalId, MaxExternalIdLength);
        Require(errors, "customerId", ticket.CustomerId, MaxCustomerIdLength);
        Require(errors, "channel", ticket.Channel, 32);
        if (ticket.Channel is { } channel && !ChannelPattern().IsMatch(channel))
        {
            errors.Add(new("channel", "must be lower-case letters, digits or dashes (e.g. email, chat, api)"));
        }

        // Identifiers end up in URLs, CSV cells, logs and headers: no control characters, line separators or broken text.
        Identifier(errors, "externalId", ticket.ExternalId);
        Identifier(errors, "customerId", ticket.CustomerId);
        Identifier(errors, "channel", ticket.Channel);
        Text(errors, "subject", ticket.Subject);
        Text(errors, "body", ticket.Body);
        if (ticket.Subject is { Length: > MaxSubjectLength })
        {
            errors.Add(new("subject", $"must be at most {MaxSubjectLength} characters"));
        }

        if (string.IsNullOrWhiteSpace(ticket.Body))
        {
            errors.Add(new("body", "is required and must not be empty"));
        }
        else if (ticket.Body.Length > options.Value.MaxBodyCharacters)
        {
            errors.Add(new("body", $"must be at most {options.Value.MaxBodyCharacters} characters"));
        }

        if (ticket.ReceivedAt is { } received && received > clock.GetUtcNow().AddHours(options.Value.MaxClockAheadHours))
        {
            errors.Add(new("receivedAt", $"is more than {options.Value.MaxClockAheadHours:0.#} hours in the future"));
        }
        else if (ticket.ReceivedAt is { } early && early < options.Value.EarliestReceivedAt)
        {
            errors.Add(new("receivedAt", $"is before {options.Value.EarliestReceivedAt:yyyy-MM-dd}"));
        }

        if (ticket.InReplyTo is not null)
        {
            if (string.IsNullOrWhiteSpace(ticket.InReplyTo) || ticket.InReplyTo.Length > MaxExternalIdLength)
            {
                errors.Add(new("inReplyTo", $"must be the externalId of an earlier message (1 to {MaxExternalIdLength} characters) or left out"));
            }
            else if (ticket.ExternalId is { } own && string.Equals(own.Trim(), ticket.InReplyTo.Trim(), StringComparison.Ordinal))
            {
                errors.Add(new("inReplyTo", "names the message itself; give the externalId of an earlier message"));
            }
        }

        if (ticket.ThreadKey is { Length: > TicketMessage.MaxIdLength })
        {
            errors.Add(new("threadKey", $"must be at most {TicketMessage.MaxIdLength} characters"));
        }

        return errors;
    }

    public async Task<IngestResult> IngestAsync(InboundTicket inbound, string source, CancellationToken cancellationToken)
    {
        var timing = StageClock.Start();
        var errors = Validate(inbound);
        if (errors.Count > 0)
        {
            return new IngestResult(null, false, errors, null);
        }

        var channel = inbound.Channel!;
        var externalId = inbound.ExternalId!.Trim();
        var customerId = inbound.CustomerId!.Trim();
        var inReplyTo = inbound.InReplyTo?.Trim();
        var threadKey = string.IsNullOrWhiteSpace(inbound.ThreadKey) ? null : inbound.ThreadKey.Trim();
        if (inReplyTo is not null)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (await FindAsync(db, channel, externalId, cancellationToken) is { } repeat)
            {
                return IngestResult.Repeated(repeat);
            }

            var parent = await db.TicketMessages.AsNoTracking()
                .Where(m => m.Channel == channel && m.ExternalId == inReplyTo)
                .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => new { t.Id, t.Status, t.CustomerId })
                .FirstOrDefaultAsync(cancellationToken);
            if (parent is null)
            {
                return IngestResult.Invalid(new IngestValidationError("inReplyTo", $"no earlier message '{inReplyTo}' on channel {channel}; nothing was stored"));
            }

            if (!string.Equals(parent.CustomerId, customerId, StringComparison.Ordinal))
            {
                return IngestResult.Invalid(new IngestValidationError("inReplyTo", $"message '{inReplyTo}' belongs to another customer's conversation"));
            }

            if (parent.Status is not (TicketStatus.Closed or TicketStatus.Historical))
            {
                return await AppendAsync(inbound, parent.Id, channel, externalId, inReplyTo, threadKey, source, timing, cancellationToken);
            }

            // A closed ticket stays closed: the customer's reply starts a new ticket that remembers what it answered.
        }

        var now = clock.GetUtcNow();
        var ticket = new Ticket
        {
            Id = Guid.CreateVersion7(now),
            Channel = channel,
            ExternalId = externalId,
            CustomerId = customerId,
            Subject = string.IsNullOrWhiteSpace(inbound.Subject) ? null : inbound.Subject.Trim(),
            Body = inbound.Body!,
            ReceivedAt = inbound.ReceivedAt?.ToUniversalTime() ?? now,
            IngestedAt = now,
            LastMessageAt = now,
            Status = TicketStatus.Received,
        };
        var message = new TicketMessage
        {
            // The first message has the ticket's id: the decision that routes the ticket routes it.
            Id = ticket.Id,
            TicketId = ticket.Id,
            Direction = MessageDirection.Inbound,
            Channel = channel,
            ExternalId = externalId,
            InReplyTo = inReplyTo,
            ThreadKey = threadKey,
            Author = customerId,
            Subject = ticket.Subject,
            Body = ticket.Body,
            At = ticket.ReceivedAt,
            CreatedAt = now,
        };
        Keep(message, inbound);
        var audit = AuditEvent.Record(now, source, "ticket.ingested", "ticket", ticket.Id.ToString(),
            JsonSerializer.Serialize(new IngestedDetails(channel, externalId, customerId) { InReplyTo = inReplyTo }, IngestJson.Default.IngestedDetails));
        var newCustomer = _knownCustomers.ContainsKey(customerId) ? null : new Customer { Id = customerId, CreatedAt = now };

        try
        {
            // Committed before this returns: whatever happens to the process from here on, the ticket is stored.
            await writer.WriteAsync(rows =>
            {
                if (newCustomer is not null)
                {
                    // A customer id never seen before becomes a customer with no records; one that exists stays as it is.
                    rows.InsertUnlessExists(newCustomer);
                }

                rows.Insert(ticket);
                rows.Insert(message);
                rows.Insert(audit);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (DbExceptions.IsUniqueViolation(e))
        {
            // A repeat (or a concurrent duplicate that won the race): the unique index decides, return the original.
            // The writer reports the violation after the winner's transaction committed, so it can be read now.
            return IngestResult.Repeated(await WinnerAsync(channel, externalId, e, cancellationToken));
        }

        if (newCustomer is not null)
        {
            _knownCustomers.TryAdd(customerId, true);
        }

        return new IngestResult(ticket.Id, true, [], new IngestTiming(timing.CpuMilliseconds, timing.ElapsedMilliseconds)) { Ticket = ticket, FirstMessage = message };
    }

    /// <summary>Stores the customer's follow-up in the conversation of <paramref name="ticketId"/>, to be routed next.</summary>
    private async Task<IngestResult> AppendAsync(InboundTicket inbound, Guid ticketId, string channel, string externalId, string inReplyTo,
        string? threadKey, string source, StageClock timing, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var message = new TicketMessage
        {
            Id = Guid.CreateVersion7(now),
            TicketId = ticketId,
            Direction = MessageDirection.Inbound,
            Channel = channel,
            ExternalId = externalId,
            InReplyTo = inReplyTo,
            ThreadKey = threadKey,
            Author = inbound.CustomerId!.Trim(),
            Subject = string.IsNullOrWhiteSpace(inbound.Subject) ? null : inbound.Subject.Trim(),
            Body = inbound.Body!,
            At = inbound.ReceivedAt?.ToUniversalTime() ?? now,
            CreatedAt = now,
            RoutingPending = true,
        };
        Keep(message, inbound);
        var audit = AuditEvent.Record(now, source, "message.received", "ticket", ticketId.ToString(),
            JsonSerializer.Serialize(new MessageReceivedDetails(message.Id, channel, externalId, inReplyTo), IngestJson.Default.MessageReceivedDetails));
        try
        {
            await writer.WriteAsync(rows =>
            {
                rows.Insert(message);
                rows.Insert(audit);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (DbExceptions.IsUniqueViolation(e))
        {
            return IngestResult.Repeated(await WinnerAsync(channel, externalId, e, cancellationToken));
        }

        return new IngestResult(ticketId, true, [], new IngestTiming(timing.CpuMilliseconds, timing.ElapsedMilliseconds)) { FollowUp = message };
    }

    /// <summary>What the channel adds to the stored message: the text as sent, and its hold.</summary>
    private static void Keep(TicketMessage message, InboundTicket inbound)
    {
        message.OriginalBody = inbound.OriginalBody;
        message.HoldCode = inbound.Hold?.Code;
        message.HoldDetail = inbound.Hold?.Detail is { Length: > TicketMessage.MaxHoldDetailLength } detail
            ? detail[..(char.IsHighSurrogate(detail[TicketMessage.MaxHoldDetailLength - 1]) ? TicketMessage.MaxHoldDetailLength - 1 : TicketMessage.MaxHoldDetailLength)]
            : inbound.Hold?.Detail;
        message.HoldEscalates = inbound.Hold?.Escalate ?? false;
    }

    private async Task<StoredMessage> WinnerAsync(string channel, string externalId, Exception violation, CancellationToken cancellationToken)
    {
        await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
        return await FindAsync(fresh, channel, externalId, cancellationToken)
            ?? throw new InvalidOperationException($"message ({channel}, {externalId}) vanished after a unique violation", violation);
    }

    /// <summary>The message (channel, external id) as stored: every message has a row, tickets from before conversations too.</summary>
    private static async Task<StoredMessage?> FindAsync(SupportConsoleDbContext db, string channel, string externalId, CancellationToken cancellationToken) =>
        await db.TicketMessages.AsNoTracking()
            .Where(m => m.Channel == channel && m.ExternalId == externalId)
            .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => new StoredMessage(m.TicketId, t.CustomerId, m.Subject, m.Body, m.InReplyTo))
            .FirstOrDefaultAsync(cancellationToken)
        ?? await db.Tickets.AsNoTracking()
            .Where(t => t.Channel == channel && t.ExternalId == externalId)
            .Select(t => new StoredMessage(t.Id, t.CustomerId, t.Subject, t.Body, null))
            .FirstOrDefaultAsync(cancellationToken);

    private static void Require(List<IngestValidationError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "is required"));
        }
        else if (value.Length > maxLength)
        {
            errors.Add(new(field, $"must be at most {maxLength} characters"));
        }
    }

    private static void Identifier(List<IngestValidationError> errors, string field, string? value)
    {
        if (value is not null && (value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') || !IsWellFormed(value)))
        {
            errors.Add(new(field, "must not contain control characters, line separators or unpaired surrogates"));
        }
    }

    private static void Text(List<IngestValidationError> errors, string field, string? value)
    {
        if (value is not null && (value.Contains('\0') || !IsWellFormed(value)))
        {
            errors.Add(new(field, "must not contain NUL characters or unpaired surrogates"));
        }
    }

    /// <summary>Valid UTF-16: every surrogate is one half of a pair (what UTF-8 and PostgreSQL can store). Vectorised when there is none.</summary>
    private static bool IsWellFormed(string value)
    {
        var span = value.AsSpan();
        for (var i = span.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(span[i]))
            {
                return false;
            }
        }

        return true;
    }

    // \z, not $: "$" also matches before a final line break ("email\n").
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,31}\z")]
    private static partial Regex ChannelPattern();
}
