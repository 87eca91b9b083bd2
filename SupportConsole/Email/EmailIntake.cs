using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;
using SupportConsole.Ingest;

namespace SupportConsole.Email;

/// <summary>What the email channel did with one message read from a mailbox.</summary>
public sealed record EmailIntakeResult(InboundEmailOutcome Outcome, Guid? TicketId, string? Note)
{
    /// <summary>The message had been handled before (read twice): nothing was done again.</summary>
    public bool AlreadyHandled { get; init; }

    /// <summary>The conversation message the mail became (null for bounces).</summary>
    public Guid? MessageId { get; init; }
}

/// <summary>What the audit event of a bounce records.</summary>
internal sealed record BouncedDetails(Guid? OutboxMessageId, string? Status, string? Recipient, string? Diagnostic);

[System.Text.Json.Serialization.JsonSerializable(typeof(BouncedDetails))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class EmailJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// One message from a mailbox into the console: recorded under (mailbox, message id) first, then a ticket (or a
/// follow-up on the conversation its <c>In-Reply-To</c> or <c>References</c> name) through the same ingest as the API,
/// for the customer with the sender's address (a new customer when unknown). The router reads the text without quoted
/// history or signature; the message as sent is kept. Attachments are stored up to the size limit and listed, never
/// routed. Machine mail is never auto-answered, nor a conversation twice within the interval; unreadable mail goes to
/// a person with the message as received attached; a bounce of one of our replies is noted on its ticket. Reading a
/// message again (a crash before the mailbox was told, two instances on one mailbox) finishes it once.
/// </summary>
public sealed class EmailIntake(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    TicketIntake intake,
    IOptionsMonitor<EmailOptions> options,
    IOptions<IngestOptions> ingestOptions,
    TimeProvider clock,
    ILogger<EmailIntake> logger)
{
    /// <summary>Reason code: mail sent by a machine (an out-of-office, a list, a bounce, our own address).</summary>
    public const string AutomaticHold = "automatic-mail";

    /// <summary>Reason code: the conversation had an auto reply within <see cref="EmailOptions.AutoReplyIntervalMinutes"/>.</summary>
    public const string ReplyLimitHold = "auto-reply-limit";

    /// <summary>Reason code: mail sent longer ago than <see cref="EmailOptions.MaxAutoReplyAgeHours"/> (it waited before the mailbox was read).</summary>
    public const string StaleHold = "stale-mail";

    /// <summary>Reason code: the mail could not be read; a person takes it.</summary>
    public const string UnreadableHold = "unreadable-mail";

    /// <summary>The file name the message as received is attached under when it could not be read.</summary>
    public const string OriginalMessageFileName = "original-message.eml";

    private const int MaxOriginalBodyCharacters = 200_000;

    /// <param name="tooLarge">Why the message was not read whole (<paramref name="raw"/> is then its headers alone): it is escalated.</param>
    public async Task<EmailIntakeResult> ReceiveAsync(MailboxOptions mailbox, byte[] raw, CancellationToken cancellationToken, string? tooLarge = null)
    {
        MimeMessage? message = null;
        string? unreadable = tooLarge;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = await MimeMessage.LoadAsync(stream, cancellationToken);
        }
        catch (FormatException e)
        {
            unreadable = $"its MIME structure is broken ({e.Message})";
        }

        var sender = message is null ? null : AutomaticMail.SenderAddress(message);
        if (unreadable is null && message is not null && sender is null)
        {
            unreadable = "it has no sender address to answer";
        }

        var messageId = message?.MessageId is { Length: > 0 and <= InboundEmail.MaxMessageIdLength } id
            ? id.Trim().TrimStart('<').TrimEnd('>')
            : message?.MessageId is { Length: > 0 } longId ? EmailIds.ExternalIdOf(longId) : EmailIds.ForMessageWithoutId(raw, mailbox.Name);
        var externalId = EmailIds.ExternalIdOf(messageId);
        var references = message is null ? [] : ReferencesOf(message);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await RecordAsync(db, mailbox, messageId, externalId, message, sender, references, raw.LongLength, cancellationToken);
        if (record.Outcome != InboundEmailOutcome.Received)
        {
            return new EmailIntakeResult(record.Outcome, record.TicketId, record.Note) { AlreadyHandled = true };
        }

        EmailIntakeResult result;
        if (unreadable is not null)
        {
            result = await UnreadableAsync(db, mailbox, raw, externalId, sender, message?.Subject, unreadable, cancellationToken, headersOnly: tooLarge is not null);
        }
        else if (BounceReport.TryRead(message!) is { } bounce)
        {
            result = await BounceAsync(db, mailbox, bounce, record.Id, cancellationToken);
        }
        else
        {
            result = await TicketAsync(db, mailbox, message!, raw, sender!, externalId, references, cancellationToken);
        }

        await db.InboundEmails.Where(e => e.Id == record.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Outcome, result.Outcome).SetProperty(e => e.TicketId, result.TicketId)
                .SetProperty(e => e.TicketMessageId, result.MessageId)
                .SetProperty(e => e.Note, Truncate(result.Note, 1024)), cancellationToken);
        return result;
    }

    private async Task<EmailIntakeResult> TicketAsync(SupportConsoleDbContext db, MailboxOptions mailbox, MimeMessage message, byte[] raw,
        string sender, string externalId, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        var customerId = await CustomerForAsync(db, sender, message.From.Mailboxes.FirstOrDefault()?.Name, cancellationToken);
        var body = Clean(EmailText.BodyOf(message));
        var routed = EmailText.ForRouting(body);
        var maxBody = ingestOptions.Value.MaxBodyCharacters;
        var text = Clean(routed.Text);
        text = text.Length == 0 ? "(the message has no text)" : Truncate(text, maxBody)!;
        var parent = await ParentAsync(db, references, cancellationToken);
        var threadKey = EmailIds.ExternalIdOf(references.Count > 0 ? references[0] : externalId);
        var subject = Truncate(Clean(message.Subject ?? string.Empty).Trim(), TicketIngestor.MaxSubjectLength)!;
        var own = options.CurrentValue.Mailboxes.Select(m => m.Address).ToList();
        var maxAge = TimeSpan.FromHours(options.CurrentValue.MaxAutoReplyAgeHours);
        var receivedAt = ReceivedAt(message);
        var hold = AutomaticMail.Reason(message, own) is { } automatic
            ? new ChannelHold(AutomaticHold, $"no auto reply to machine mail: {automatic}", Escalate: false)
            : receivedAt is { } sentAt && clock.GetUtcNow() - sentAt > maxAge
            ? new ChannelHold(StaleHold, $"no auto reply to mail sent {sentAt:yyyy-MM-dd HH:mm} UTC, more than {maxAge.TotalHours:0.#} hours ago", Escalate: false)
            : await RecentAutoReplyAsync(db, customerId, threadKey, subject, cancellationToken);
        var inbound = new InboundTicket(externalId, customerId, EmailIds.Channel, subject, text, receivedAt)
        {
            InReplyTo = parent,
            ThreadKey = threadKey,
            OriginalBody = routed.Stripped || body.Length > text.Length ? Truncate(body, MaxOriginalBodyCharacters) : null,
            Hold = hold,
        };

        var source = $"email:{mailbox.Name}";
        var received = await intake.ReceiveAsync(inbound, source, cancellationToken);
        if (!received.IsValid && parent is not null)
        {
            // The thread belongs to another customer's conversation (a colleague answering in the thread): a ticket of its own.
            received = await intake.ReceiveAsync(inbound with { InReplyTo = null }, source, cancellationToken);
        }

        if (!received.IsValid)
        {
            var why = string.Join("; ", received.Errors.Select(e => $"{e.Field} {e.Message}"));
            return await UnreadableAsync(db, mailbox, raw, externalId, sender, message.Subject, why, cancellationToken);
        }

        var ticketId = received.TicketId!.Value;
        var messageRowId = received.Ingest.FirstMessage?.Id ?? received.Ingest.FollowUp?.Id
            ?? await db.TicketMessages.Where(m => m.Channel == EmailIds.Channel && m.ExternalId == externalId).Select(m => m.Id).FirstAsync(cancellationToken);
        await StoreAttachmentsAsync(db, ticketId, messageRowId, Attachments(message, options.CurrentValue.MaxAttachmentBytes), cancellationToken);
        var outcome = messageRowId == ticketId ? InboundEmailOutcome.Ticket : InboundEmailOutcome.FollowUp;
        return new EmailIntakeResult(outcome, ticketId, hold?.Detail) { MessageId = messageRowId };
    }

    /// <summary>Mail that cannot be read: a ticket a person takes (escalated), with the message as received attached.</summary>
    private async Task<EmailIntakeResult> UnreadableAsync(SupportConsoleDbContext db, MailboxOptions mailbox, byte[] raw, string externalId,
        string? sender, string? subject, string why, CancellationToken cancellationToken, bool headersOnly = false)
    {
        var customerId = sender is null ? UnknownSender : await CustomerForAsync(db, sender, null, cancellationToken);
        var hold = new ChannelHold(UnreadableHold, $"the email could not be read: {why}", Escalate: true);
        var inbound = new InboundTicket(externalId, customerId, EmailIds.Channel,
            Truncate(Clean(subject ?? string.Empty).Trim(), TicketIngestor.MaxSubjectLength),
            headersOnly
                ? $"This email was not read: {why}. Its headers are attached ({OriginalMessageFileName})."
                : $"This email could not be read: {why}. The message as received is attached ({OriginalMessageFileName}).", null)
        {
            Hold = hold,
        };
        var received = await intake.ReceiveAsync(inbound, $"email:{mailbox.Name}", cancellationToken);
        if (!received.IsValid)
        {
            throw new InvalidOperationException($"mailbox {mailbox.Name}: an unreadable message could not be stored: "
                + string.Join("; ", received.Errors.Select(e => $"{e.Field} {e.Message}")));
        }

        var ticketId = received.TicketId!.Value;
        var messageRowId = received.Ingest.FirstMessage?.Id ?? ticketId;
        await StoreAttachmentsAsync(db, ticketId, messageRowId, [new(OriginalMessageFileName, "message/rfc822", raw.LongLength, raw)], cancellationToken);
        logger.LogWarning("Mailbox {Mailbox}: message {ExternalId} could not be read ({Reason}); ticket {TicketId} is escalated",
            mailbox.Name, externalId, why, ticketId);
        return new EmailIntakeResult(InboundEmailOutcome.Unreadable, ticketId, hold.Detail) { MessageId = messageRowId };
    }

    /// <summary>A delivery failure of one of our replies: noted on the reply's ticket and its outbox message; no ticket of its own.</summary>
    private async Task<EmailIntakeResult> BounceAsync(SupportConsoleDbContext db, MailboxOptions mailbox, BounceReport bounce, Guid recordId,
        CancellationToken cancellationToken)
    {
        var replyIds = bounce.OriginalMessageIds.Select(EmailIds.ReplyOutboxId).OfType<Guid>().Select(g => g.ToString()).ToList();
        var reply = await db.TicketMessages.AsNoTracking()
            .Where(m => m.Channel == EmailIds.Channel && m.Direction == MessageDirection.Outbound && m.ExternalId != null && replyIds.Contains(m.ExternalId))
            .Select(m => new { m.TicketId, m.OutboxMessageId, m.At })
            .FirstOrDefaultAsync(cancellationToken);
        var what = string.Join(", ", new[] { bounce.Status, bounce.Recipient, bounce.Diagnostic }.Where(p => !string.IsNullOrWhiteSpace(p)));
        if (reply is null)
        {
            logger.LogInformation("Mailbox {Mailbox}: a delivery failure report named none of our replies ({Report})", mailbox.Name, what);
            return new EmailIntakeResult(InboundEmailOutcome.UnmatchedBounce, null, Truncate($"names none of our replies: {what}", 1024));
        }

        var now = clock.GetUtcNow();
        var note = $"The reply sent {reply.At:yyyy-MM-dd HH:mm} UTC bounced" + (what.Length > 0 ? $": {what}" : ".");

        // The note and the record's outcome together: a bounce read again after a crash is not noted twice.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.TicketNotes.Add(new TicketNote { TicketId = reply.TicketId, Author = $"email:{mailbox.Name}", Body = note, CreatedAt = now });
        db.AuditEvents.Add(AuditEvent.Record(now, $"email:{mailbox.Name}", "email.bounced", "ticket", reply.TicketId.ToString(),
            JsonSerializer.Serialize(new BouncedDetails(reply.OutboxMessageId, bounce.Status, bounce.Recipient, bounce.Diagnostic), EmailJson.Default.BouncedDetails)));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (reply.OutboxMessageId is { } outboxId)
        {
            await db.OutboxMessages.Where(m => m.Id == outboxId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastError, Truncate($"bounced: {what}", 1024)), cancellationToken);
        }

        await db.InboundEmails.Where(e => e.Id == recordId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Outcome, InboundEmailOutcome.Bounce).SetProperty(e => e.TicketId, reply.TicketId)
                .SetProperty(e => e.Note, Truncate(note, 1024)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new EmailIntakeResult(InboundEmailOutcome.Bounce, reply.TicketId, note);
    }

    /// <summary>The mailbox's record of the message: inserted as received, or the one already there (read before).</summary>
    private async Task<InboundEmail> RecordAsync(SupportConsoleDbContext db, MailboxOptions mailbox, string messageId, string externalId,
        MimeMessage? message, string? sender, IReadOnlyList<string> references, long size, CancellationToken cancellationToken)
    {
        if (await db.InboundEmails.AsNoTracking().FirstOrDefaultAsync(e => e.Mailbox == mailbox.Name && e.MessageId == messageId, cancellationToken) is { } known)
        {
            return known;
        }

        var now = clock.GetUtcNow();
        var record = new InboundEmail
        {
            Id = Guid.CreateVersion7(now),
            Mailbox = mailbox.Name,
            MessageId = messageId,
            ExternalId = externalId,
            FromAddress = Truncate(sender, 256),
            Subject = Truncate(message?.Subject is { } s ? Clean(s) : null, 512),
            References = references.Count == 0 ? null : string.Join(' ', references),
            Outcome = InboundEmailOutcome.Received,
            SizeBytes = size,
            SentAt = message is null ? now : ReceivedAt(message) ?? now,
            CreatedAt = now,
        };
        db.InboundEmails.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return record;
        }
        catch (DbUpdateException e) when (DbExceptions.IsUniqueViolation(e))
        {
            // Another reader (instance) recorded it first: go on from its record; the ticket's ingest is idempotent.
            db.ChangeTracker.Clear();
            return await db.InboundEmails.AsNoTracking().FirstAsync(x => x.Mailbox == mailbox.Name && x.MessageId == messageId, cancellationToken);
        }
    }

    /// <summary>The customer with this address; a new one (its id the address) when nobody has it.</summary>
    private static async Task<string> CustomerForAsync(SupportConsoleDbContext db, string address, string? name, CancellationToken cancellationToken)
    {
        // The address as written first (indexed), then in any case: records keep addresses as their systems wrote them.
        var known = await db.Customers.AsNoTracking().Where(c => c.Email == address).Select(c => c.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await db.Customers.AsNoTracking().Where(c => c.Email != null && c.Email.ToLower() == address).Select(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        if (known is not null)
        {
            return known;
        }

        var id = address.Length <= TicketIngestor.MaxCustomerIdLength
            ? address
            : "email-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)))[..32];
        if (await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return id;
        }

        db.Customers.Add(new Customer { Id = id, Email = address, Name = Truncate(name, 256), CreatedAt = DateTimeOffset.UtcNow });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbExceptions.IsUniqueViolation(e))
        {
            // Created meanwhile by another message from the same address.
        }

        db.ChangeTracker.Clear();
        return id;
    }

    /// <summary>The newest referenced message the email channel has (its external id), or null: the conversation to join.</summary>
    private static async Task<string?> ParentAsync(SupportConsoleDbContext db, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return null;
        }

        var candidates = references.SelectMany(EmailIds.CandidatesFor).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.TicketMessages.AsNoTracking()
            .Where(m => m.Channel == EmailIds.Channel && m.ExternalId != null && candidates.Contains(m.ExternalId))
            .Select(m => m.ExternalId!)
            .ToListAsync(cancellationToken);
        for (var i = references.Count - 1; i >= 0; i--)
        {
            if (EmailIds.CandidatesFor(references[i]).FirstOrDefault(known.Contains) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// The hold when this conversation had an auto reply within the interval: the same thread, or the same customer and
    /// subject (a robot that answers without threading headers starts a new conversation each time).
    /// </summary>
    private async Task<ChannelHold?> RecentAutoReplyAsync(SupportConsoleDbContext db, string customerId, string threadKey, string subject,
        CancellationToken cancellationToken)
    {
        var interval = options.CurrentValue.AutoReplyIntervalMinutes;
        if (interval <= 0)
        {
            return null;
        }

        var since = clock.GetUtcNow().AddMinutes(-interval);
        var recent = await db.TicketMessages.AsNoTracking()
            .Where(m => m.Channel == EmailIds.Channel && m.Direction == MessageDirection.Outbound && m.Author == TicketMessage.EngineAuthor && m.At >= since)
            .Join(db.Tickets.Where(t => t.CustomerId == customerId), m => m.TicketId, t => t.Id, (m, t) => new { t.Id, t.Subject })
            .ToListAsync(cancellationToken);
        if (recent.Count == 0)
        {
            return null;
        }

        var ids = recent.Select(r => r.Id).ToList();
        var sameThread = await db.TicketMessages.AsNoTracking().AnyAsync(m => ids.Contains(m.TicketId) && m.ThreadKey == threadKey, cancellationToken);
        var topic = Topic(subject);
        if (!sameThread && !recent.Any(r => topic.Length > 0 && Topic(r.Subject ?? string.Empty) == topic))
        {
            return null;
        }

        return new ChannelHold(ReplyLimitHold, $"this conversation had an auto reply in the last {interval:0.#} minutes; at most one goes out in that time", Escalate: false);
    }

    /// <summary>A subject without its reply and forward prefixes, for comparing conversations.</summary>
    private static string Topic(string subject)
    {
        var topic = subject.Trim();
        while (topic.IndexOf(':', StringComparison.Ordinal) is > 0 and <= 5 and var colon
            && topic[..colon].Trim().TrimEnd(']').TrimEnd("0123456789".ToCharArray()).TrimEnd('[').Trim().ToLowerInvariant()
                is "re" or "fw" or "fwd" or "aw" or "wg" or "sv" or "tr")
        {
            topic = topic[(colon + 1)..].Trim();
        }

        return topic.ToLowerInvariant();
    }

    private async Task StoreAttachmentsAsync(SupportConsoleDbContext db, Guid ticketId, Guid messageId, IReadOnlyList<AttachmentContent> attachments,
        CancellationToken cancellationToken)
    {
        if (attachments.Count == 0)
        {
            return;
        }

        var stored = await db.TicketAttachments.Where(a => a.MessageId == messageId).Select(a => a.Position).ToListAsync(cancellationToken);
        var limit = options.CurrentValue.MaxAttachmentBytes;
        var now = clock.GetUtcNow();
        for (var position = 0; position < attachments.Count; position++)
        {
            if (stored.Contains(position))
            {
                continue;
            }

            var (fileName, contentType, size, content) = attachments[position];
            var refused = content is null || size > limit;
            db.TicketAttachments.Add(new TicketAttachment
            {
                Id = Guid.CreateVersion7(now),
                TicketId = ticketId,
                MessageId = messageId,
                Position = position,
                FileName = Truncate(fileName, 256)!,
                ContentType = Truncate(contentType, 128)!,
                SizeBytes = size,
                Sha256 = refused ? null : Convert.ToHexStringLower(SHA256.HashData(content!)),
                Content = refused ? null : content,
                RefusedReason = refused ? $"over the {Megabytes(limit)} limit ({Megabytes(size)})" : null,
                CreatedAt = now,
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbExceptions.IsUniqueViolation(e))
        {
            // Stored meanwhile by another reader of the same message.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// The message's files, in order: every part with a file name or marked as an attachment (inline files too, as Apple
    /// Mail sends them), and attached messages (as <c>.eml</c>). Content over <paramref name="limit"/> is counted, not kept.
    /// </summary>
    private static List<AttachmentContent> Attachments(MimeMessage message, long limit)
    {
        var list = new List<AttachmentContent>();
        foreach (var entity in message.BodyParts)
        {
            using var content = new CappedStream(limit);
            string fileName;
            if (entity is MessagePart forwarded)
            {
                forwarded.Message?.WriteTo(content);
                fileName = (forwarded.ContentDisposition?.FileName ?? forwarded.Message?.Subject ?? "message") + ".eml";
            }
            else if (entity is MimePart part && (part.IsAttachment || !string.IsNullOrEmpty(part.FileName)))
            {
                part.Content?.DecodeTo(content);
                fileName = part.FileName ?? $"attachment-{list.Count + 1}";
            }
            else
            {
                continue;
            }

            list.Add(new(FileNameOf(fileName), entity.ContentType.MimeType, content.Length, content.Kept));
        }

        return list;
    }

    /// <summary>A file name as a download may carry it: no control characters, no folders.</summary>
    private static string FileNameOf(string name)
    {
        var clean = new string([.. Clean(name).Select(c => char.IsControl(c) || c is '/' or '\\' ? '_' : c)]).Trim();
        return clean.Length == 0 ? "attachment" : clean;
    }

    /// <summary>In-Reply-To and References, oldest first, without duplicates or angle brackets.</summary>
    private static List<string> ReferencesOf(MimeMessage message)
    {
        var ids = new List<string>();
        foreach (var id in message.References.Append(message.InReplyTo))
        {
            if (!string.IsNullOrWhiteSpace(id) && id.Length <= InboundEmail.MaxMessageIdLength && !ids.Contains(id.Trim()))
            {
                ids.Add(id.Trim().TrimStart('<').TrimEnd('>'));
            }
        }

        // In-Reply-To is the message answered: the newest, last.
        if (message.InReplyTo is { Length: > 0 } inReplyTo && ids.Remove(inReplyTo.Trim().TrimStart('<').TrimEnd('>')))
        {
            ids.Add(inReplyTo.Trim().TrimStart('<').TrimEnd('>'));
        }

        return ids;
    }

    /// <summary>The Date header when it is plausible (ingest refuses dates before 2000 or far ahead); null: now.</summary>
    private DateTimeOffset? ReceivedAt(MimeMessage message)
    {
        var date = message.Date;
        var settings = ingestOptions.Value;
        return date < settings.EarliestReceivedAt || date > clock.GetUtcNow().AddHours(settings.MaxClockAheadHours) ? null : date;
    }

    private const string UnknownSender = "unknown-sender";

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MB";

    /// <summary>Text as ingest takes it: no NUL characters, no unpaired surrogates.</summary>
    private static string Clean(string text)
    {
        if (!text.Contains('\0') && !text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (c != '\0' && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>At most <paramref name="length"/> characters, never half a surrogate pair (ingest refuses those).</summary>
    private static string? Truncate(string? text, int length)
    {
        if (text is null || text.Length <= length)
        {
            return text;
        }

        return char.IsHighSurrogate(text[length - 1]) ? text[..(length - 1)] : text[..length];
    }

    /// <summary>A file: its size, and its content unless it was over the limit.</summary>
    private sealed record AttachmentContent(string FileName, string ContentType, long Size, byte[]? Content);

    /// <summary>A write-only stream that keeps what is written up to a limit and counts the rest.</summary>
    private sealed class CappedStream(long limit) : Stream
    {
        private readonly MemoryStream _kept = new();
        private long _length;

        /// <summary>What was written, or null when it was more than the limit.</summary>
        public byte[]? Kept => _length <= limit ? _kept.ToArray() : null;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _length += buffer.Length;
            if (_length <= limit)
            {
                _kept.Write(buffer);
            }
            else if (_kept.Length > 0)
            {
                _kept.SetLength(0);
                _kept.Capacity = 0;
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _kept.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
