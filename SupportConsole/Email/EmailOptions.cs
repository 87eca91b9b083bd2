using System.ComponentModel.DataAnnotations;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace SupportConsole.Email;

/// <summary>
/// Configuration section <c>Email</c>: the support mailboxes read over IMAP (each new message a ticket or a follow-up),
/// and the SMTP server the replies to them go out through. Nothing is read or sent while no mailbox is configured.
/// </summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public List<MailboxOptions> Mailboxes { get; set; } = [];

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The largest attachment stored with a ticket; a larger one is listed as refused and the ticket still created.</summary>
    [Range(1, 100L * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// The largest message read whole; a larger one becomes an escalated ticket from its headers alone (it stays in the
    /// mailbox), so one huge message cannot take the console's memory.
    /// </summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxMessageBytes { get; set; } = 60L * 1024 * 1024;

    /// <summary>No auto reply to mail sent longer ago than this (mail that waited in the mailbox before it was first connected, say).</summary>
    [Range(0.1, 24 * 365)]
    public double MaxAutoReplyAgeHours { get; set; } = 24;

    /// <summary>At most one auto reply per conversation in this many minutes (a loop with another robot stops here).</summary>
    [Range(0, 7 * 24 * 60)]
    public double AutoReplyIntervalMinutes { get; set; } = 60;

    /// <summary>Longest wait before a broken mailbox connection is tried again (the wait doubles from one second up to it).</summary>
    [Range(1, 3600)]
    public double MaxReconnectSeconds { get; set; } = 10;
}

/// <summary>What happens to a message in the mailbox once it is stored as a ticket; it is never deleted.</summary>
public enum ProcessedMail
{
    /// <summary>Marked seen and given the keyword <c>$SupportConsole</c>; it stays in the folder.</summary>
    Flag,

    /// <summary>Flagged, then moved to <see cref="MailboxOptions.MoveTo"/> (created when missing).</summary>
    Move,
}

/// <summary>One support mailbox (<c>Email:Mailboxes:N</c>).</summary>
public sealed class MailboxOptions
{
    /// <summary>A short name: shown on the Email page and kept with each message read (letters, digits, dashes).</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,63}$", ErrorMessage = "must be lower-case letters, digits or dashes")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The mailbox's address (support@...): replies go out from it, and mail from it is never answered.</summary>
    [Required]
    [EmailAddress]
    public string Address { get; set; } = string.Empty;

    [Required]
    public string Host { get; set; } = string.Empty;

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary>TLS: <c>SslOnConnect</c> (port 993), <c>StartTls</c>, <c>Auto</c>, or <c>None</c> (a server on this machine only).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.SslOnConnect;

    [Required]
    public string User { get; set; } = string.Empty;

    /// <summary>The password; prefer <see cref="PasswordVariable"/>, so it is not in a settings file.</summary>
    public string? Password { get; set; }

    /// <summary>The name of an environment variable that holds the password.</summary>
    public string? PasswordVariable { get; set; }

    [Required]
    public string Folder { get; set; } = "INBOX";

    public ProcessedMail Processed { get; set; } = ProcessedMail.Flag;

    /// <summary>The folder processed mail is moved to, with <see cref="ProcessedMail.Move"/>.</summary>
    public string MoveTo { get; set; } = "Processed";

    /// <summary>Wait for new mail with IDLE when the server has it; off: poll (for servers whose IDLE misbehaves).</summary>
    public bool UseIdle { get; set; } = true;

    /// <summary>How often a server without IDLE (or with <see cref="UseIdle"/> off) is asked for new mail.</summary>
    [Range(1, 3600)]
    public double PollSeconds { get; set; } = 30;

    /// <summary>IDLE is renewed this often (servers drop an IDLE after 30 minutes; RFC 2177 advises under 29).</summary>
    [Range(0.1, 29)]
    public double IdleRenewMinutes { get; set; } = 9;

    /// <summary>The password: from <see cref="PasswordVariable"/> when it is set, else <see cref="Password"/>.</summary>
    public string? ResolvePassword() =>
        PasswordVariable is { Length: > 0 } variable ? Environment.GetEnvironmentVariable(variable) : Password;

    /// <summary>Where the password comes from, for the Email page (never the password).</summary>
    public string PasswordSource =>
        PasswordVariable is { Length: > 0 } variable ? $"environment variable {variable}" : Password is { Length: > 0 } ? "settings" : "none";
}

/// <summary>The SMTP server replies go out through (<c>Email:Smtp</c>); unset: replies to mail wait in the outbox.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>The user to authenticate as; unset: no authentication (a relay on this machine).</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    public string? PasswordVariable { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public string? ResolvePassword() =>
        PasswordVariable is { Length: > 0 } variable ? Environment.GetEnvironmentVariable(variable) : Password;

    public string PasswordSource =>
        PasswordVariable is { Length: > 0 } variable ? $"environment variable {variable}" : Password is { Length: > 0 } ? "settings" : "none";
}

/// <summary>Checks each mailbox (data annotations do not reach into lists) and that names are unique.</summary>
internal sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Mailboxes.Count; i++)
        {
            var mailbox = options.Mailboxes[i];
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(mailbox, new ValidationContext(mailbox), results, validateAllProperties: true))
            {
                errors.AddRange(results.Select(r => $"Email:Mailboxes:{i}: {r.ErrorMessage}"));
            }

            if (mailbox.ResolvePassword() is not { Length: > 0 })
            {
                errors.Add($"Email:Mailboxes:{i}: no password (set Password, or PasswordVariable to an environment variable that holds it)");
            }
        }

        foreach (var duplicate in options.Mailboxes.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Email:Mailboxes: the name '{duplicate.Key}' is used twice");
        }

        var smtp = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options.Smtp, new ValidationContext(options.Smtp), smtp, validateAllProperties: true))
        {
            errors.AddRange(smtp.Select(r => $"Email:Smtp: {r.ErrorMessage}"));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
