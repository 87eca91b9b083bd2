using System.Text.Json;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Delivery;

namespace SupportConsole.Email;

/// <summary>
/// Sends the replies to tickets that came from a mailbox by SMTP (<c>Email:Smtp</c>): from the mailbox's address, to the
/// customer's, with <c>In-Reply-To</c> and <c>References</c> so the customer's mail client threads it. Its
/// <c>Message-ID</c> is fixed and stored on the outbox message before the first try, so a retry after a lost outcome
/// (a crash after the send) carries the same id. Auto replies say so (<c>Auto-Submitted: auto-replied</c>, RFC 3834),
/// so the customer's own robots do not answer them.
/// </summary>
public sealed class SmtpReplyChannel(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    IOptionsMonitor<EmailOptions> options,
    MailboxMonitor monitor) : IReplyChannel
{
    private static readonly JsonSerializerOptions PayloadOptions = new(JsonSerializerDefaults.Web);

    public string? Destination => options.CurrentValue.Smtp is { IsConfigured: true } smtp ? $"smtp://{smtp.Host}:{smtp.Port}" : null;

    public async Task<bool> OwnsAsync(OutboxMessage reply, CancellationToken cancellationToken)
    {
        // No mailbox configured: no ticket came from one (an installation without email asks nothing per reply).
        if (reply.TicketId is not { } ticketId || options.CurrentValue.Mailboxes.Count == 0)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.Where(t => t.Id == ticketId && t.Channel == EmailIds.Channel)
            .Join(db.InboundEmails, t => t.ExternalId, e => e.ExternalId, (t, e) => e.Id)
            .AnyAsync(cancellationToken);
    }

    public async Task<string?> SendAsync(OutboxMessage reply, CancellationToken cancellationToken)
    {
        var smtp = options.CurrentValue.Smtp;
        var message = await ComposeAsync(reply, cancellationToken);
        if (message is null)
        {
            return "the ticket has no message from a mailbox to answer";
        }

        await SendAsync(smtp, message, cancellationToken);
        return null;
    }

    /// <summary>Sends <paramref name="message"/> through the configured server (the reply path, and the Email page's test).</summary>
    public async Task SendAsync(SmtpOptions smtp, MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var host = smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set");
            using var client = new SmtpClient { Timeout = 30_000 };
            await client.ConnectAsync(host, smtp.Port, smtp.Security, cancellationToken);
            if (smtp.User is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, smtp.ResolvePassword() ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            monitor.Sent(null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            monitor.Sent(e.Message);
            throw;
        }
    }

    /// <summary>The reply as mail, its Message-ID fixed first; null when its ticket has no mailbox message.</summary>
    private async Task<MimeMessage?> ComposeAsync(OutboxMessage reply, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ticketId = reply.TicketId!.Value;

        // The customer's latest message read from a mailbox: the one this reply answers.
        var answered = await db.TicketMessages.AsNoTracking()
            .Where(m => m.TicketId == ticketId && m.Direction == MessageDirection.Inbound && m.Channel == EmailIds.Channel)
            .Join(db.InboundEmails, m => m.ExternalId, e => e.ExternalId, (m, e) => new { m.At, m.CreatedAt, Email = e })
            .OrderByDescending(x => x.CreatedAt)
            .Select(x => x.Email)
            .FirstOrDefaultAsync(cancellationToken);
        if (answered is null || answered.FromAddress is not { Length: > 0 } to)
        {
            return null;
        }

        var mailbox = options.CurrentValue.Mailboxes.FirstOrDefault(m => m.Name == answered.Mailbox)
            ?? options.CurrentValue.Mailboxes.FirstOrDefault()
            ?? throw new InvalidOperationException($"mailbox {answered.Mailbox} is no longer configured: no address to send from");
        var messageId = await FixedMessageIdAsync(db, reply, mailbox, cancellationToken);
        var payload = JsonSerializer.Deserialize<ReplyPayload>(reply.PayloadJson, PayloadOptions)
            ?? throw new InvalidOperationException($"outbox message {reply.Id} has no payload");

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, mailbox.Address));
        message.To.Add(MailboxAddress.Parse(to));
        message.MessageId = messageId;

        // A message id too long to keep was stored as its hash: no id the customer's client would know, so none is named.
        if (!answered.MessageId.StartsWith(EmailIds.HashedPrefix, StringComparison.Ordinal))
        {
            message.InReplyTo = answered.MessageId;
        }

        foreach (var reference in (answered.References ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(answered.MessageId)
                     .Where(r => !r.StartsWith(EmailIds.HashedPrefix, StringComparison.Ordinal)))
        {
            message.References.Add(reference);
        }

        var subject = answered.Subject is { Length: > 0 } s ? s : "Your message";
        message.Subject = subject.StartsWith("re:", StringComparison.OrdinalIgnoreCase) ? subject : $"Re: {subject}";
        message.Date = reply.CreatedAt;
        if (payload.SentBy is null)
        {
            message.Headers.Add("Auto-Submitted", "auto-replied");
        }

        message.Headers.Add("X-SupportConsole-Ticket", ticketId.ToString());
        message.Body = new TextPart("plain") { Text = payload.Text ?? string.Empty };
        return message;
    }

    /// <summary>The reply's Message-ID: the one stored on the outbox message, or a new one stored before it is first used.</summary>
    private static async Task<string> FixedMessageIdAsync(SupportConsoleDbContext db, OutboxMessage reply, MailboxOptions mailbox, CancellationToken cancellationToken)
    {
        if (reply.ChannelMessageId is { Length: > 0 } stored)
        {
            return stored;
        }

        var fresh = EmailIds.ForReply(reply.Id, mailbox.Address);
        await db.OutboxMessages.Where(m => m.Id == reply.Id && m.ChannelMessageId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ChannelMessageId, fresh), cancellationToken);
        return await db.OutboxMessages.Where(m => m.Id == reply.Id).Select(m => m.ChannelMessageId!).FirstAsync(cancellationToken);
    }

    private sealed record ReplyPayload(string? Text, string? SentBy);
}
