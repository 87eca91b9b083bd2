using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Pipeline;

namespace SupportConsole.Pipeline;

/// <summary>A ticket as a channel delivers it.</summary>
public sealed record InboundTicket(string? ExternalId, string? CustomerId, string? Channel, string? Subject, string? Body, DateTimeOffset? ReceivedAt);

/// <summary>Why an inbound ticket was refused: field name and message, for problem details.</summary>
public sealed record IngestValidationError(string Field, string Message);

/// <summary>The outcome of ingest: a new ticket, the original of a repeat, or the validation errors.</summary>
public sealed record IngestResult(Guid? TicketId, bool Created, IReadOnlyList<IngestValidationError> Errors, IngestTiming? Timing)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The stored ticket when this call created it.</summary>
    public Ticket? Ticket { get; init; }
}

/// <summary>What the ingest audit event records.</summary>
internal sealed record IngestedDetails(string Channel, string ExternalId, string CustomerId);

[JsonSerializable(typeof(IngestedDetails))]
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
/// Stores an inbound ticket before anything else happens, idempotently on (channel, external id); a customer id
/// never seen before becomes a customer with no records. Nothing is stored for an invalid ticket.
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
            Status = TicketStatus.Received,
        };
        var audit = AuditEvent.Record(now, source, "ticket.ingested", "ticket", ticket.Id.ToString(),
            JsonSerializer.Serialize(new IngestedDetails(channel, externalId, customerId), IngestJson.Default.IngestedDetails));
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
                rows.Insert(audit);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (DbExceptions.IsUniqueViolation(e))
        {
            // A repeat (or a concurrent duplicate that won the race): the unique index decides, return the original.
            // The writer reports the violation after the winner's transaction committed, so it can be read now.
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            var winner = await FindAsync(fresh, channel, externalId, cancellationToken)
                ?? throw new InvalidOperationException($"ticket ({channel}, {externalId}) vanished after a unique violation", e);
            return new IngestResult(winner, false, [], null);
        }

        if (newCustomer is not null)
        {
            _knownCustomers.TryAdd(customerId, true);
        }

        return new IngestResult(ticket.Id, true, [], new IngestTiming(timing.CpuMilliseconds, timing.ElapsedMilliseconds)) { Ticket = ticket };
    }

    private static Task<Guid?> FindAsync(SupportConsoleDbContext db, string channel, string externalId, CancellationToken cancellationToken) =>
        db.Tickets.Where(t => t.Channel == channel && t.ExternalId == externalId).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);

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
