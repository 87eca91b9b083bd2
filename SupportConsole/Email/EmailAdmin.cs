using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Email;

/// <summary>A configured mailbox as the Email page shows it: settings without secrets, and its reader's state.</summary>
public sealed record MailboxView(string Name, string Address, string Server, string Folder, string Processed, string PasswordSource,
    MailboxStatus? Status, DateTimeOffset? LastStoredAt);

/// <summary>The SMTP server replies go through, without secrets, and the outcome of the last send.</summary>
public sealed record SmtpView(string? Server, string? User, string PasswordSource, DateTimeOffset? LastSendAt, string? LastSendError);

/// <summary>One message a mailbox read, for the Email page's list.</summary>
public sealed record InboundEmailView(DateTimeOffset At, string Mailbox, string? From, string? Subject, InboundEmailOutcome Outcome, Guid? TicketId, string? Note);

/// <summary>The Email page's reads and its one action, the test message; secrets are never part of a view.</summary>
public sealed class EmailAdmin(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    IOptionsMonitor<EmailOptions> options,
    MailboxMonitor monitor,
    SmtpReplyChannel smtp,
    TimeProvider clock)
{
    public async Task<(IReadOnlyList<MailboxView> Mailboxes, SmtpView Smtp)> ConfigurationAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = settings.Mailboxes.Select(m => m.Name).ToList();
        var last = await db.InboundEmails.AsNoTracking().Where(e => names.Contains(e.Mailbox))
            .GroupBy(e => e.Mailbox).Select(g => new { Mailbox = g.Key, At = g.Max(e => e.CreatedAt) })
            .ToDictionaryAsync(x => x.Mailbox, x => x.At, cancellationToken);
        var mailboxes = settings.Mailboxes.Select(m => new MailboxView(m.Name, m.Address, $"{m.Host}:{m.Port} ({m.Security})", m.Folder,
            m.Processed == ProcessedMail.Move ? $"flagged and moved to {m.MoveTo}" : $"flagged {MailboxReader.ProcessedKeyword}, kept in place",
            m.PasswordSource, monitor.Get(m.Name), last.TryGetValue(m.Name, out var at) ? at : null)).ToList();
        var s = settings.Smtp;
        var view = new SmtpView(s.IsConfigured ? $"{s.Host}:{s.Port} ({s.Security})" : null, s.User, s.PasswordSource, monitor.LastSend?.At, monitor.LastSend?.Error);
        return (mailboxes, view);
    }

    public async Task<(IReadOnlyList<InboundEmailView> Page, int Total)> RecentAsync(int skip, int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var total = await db.InboundEmails.CountAsync(cancellationToken);
        var page = await db.InboundEmails.AsNoTracking().OrderByDescending(e => e.CreatedAt).Skip(skip).Take(take)
            .Select(e => new InboundEmailView(e.CreatedAt, e.Mailbox, e.FromAddress, e.Subject, e.Outcome, e.TicketId, e.Note))
            .ToListAsync(cancellationToken);
        return (page, total);
    }

    /// <summary>Sends a test message from <paramref name="mailboxName"/>'s address to <paramref name="to"/>; the error in words when it fails.</summary>
    public async Task<string?> SendTestAsync(string mailboxName, string to, string actor, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Smtp.IsConfigured)
        {
            return "No SMTP server is configured (Email:Smtp:Host).";
        }

        if (settings.Mailboxes.FirstOrDefault(m => m.Name == mailboxName) is not { } mailbox)
        {
            return $"There is no mailbox named '{mailboxName}'.";
        }

        if (!MailAddress.TryCreate(to.Trim(), out var recipient))
        {
            return $"'{to}' is not an email address.";
        }

        var now = clock.GetUtcNow();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, mailbox.Address));
        message.To.Add(new MailboxAddress(null, recipient.Address));
        message.Subject = "SupportConsole test message";
        message.MessageId = EmailIds.ForReply(Guid.CreateVersion7(now), mailbox.Address);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new TextPart("plain")
        {
            Text = $"This is a test message from the SupportConsole mailbox {mailbox.Name} ({mailbox.Address}), sent by {actor} at {now:yyyy-MM-dd HH:mm} UTC.",
        };
        try
        {
            await smtp.SendAsync(settings.Smtp, message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"The SMTP server did not take the message: {e.Message}";
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEvents.Add(AuditEvent.Record(now, actor, "email.test-sent", "mailbox", mailbox.Name, null));
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
