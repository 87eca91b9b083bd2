using System.Text.RegularExpressions;
using MimeKit;

namespace SupportConsole.Email;

/// <summary>
/// Tells a person's mail from mail that no automatic reply may go to: auto replies, bounces, mailing lists, bulk mail,
/// no-reply senders and mail from the mailbox itself (a reply to it would start a loop). Reads headers only.
/// </summary>
public static partial class AutomaticMail
{
    /// <summary>How much of a header value a reason quotes.</summary>
    private const int MaxQuotedValueLength = 60;

    /// <summary>
    /// Why no automatic reply may go to <paramref name="message"/>, in one short sentence; null for a person's mail.
    /// <paramref name="ownAddresses"/> are the mailbox's own addresses (compared without regard to case).
    /// </summary>
    public static string? Reason(MimeMessage message, IReadOnlyCollection<string> ownAddresses)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(ownAddresses);
        var headers = message.Headers;

        var own = new HashSet<string>(ownAddresses.Select(a => a.Trim()), StringComparer.OrdinalIgnoreCase);
        var senders = message.From.Mailboxes.Select(m => m.Address).Append(SenderAddress(message)).OfType<string>();
        if (senders.FirstOrDefault(own.Contains) is { } loop)
        {
            return $"It comes from this mailbox's own address ({loop}), so a reply would loop.";
        }

        if (message.Body is MultipartReport || message.Body?.ContentType.IsMimeType("multipart", "report") == true)
        {
            return "It is a delivery status report (multipart/report).";
        }

        if (headers[HeaderId.AutoSubmitted] is { } autoSubmitted && FirstToken(autoSubmitted) is var kind
            && !string.Equals(kind, "no", StringComparison.OrdinalIgnoreCase))
        {
            return $"It was sent automatically (Auto-Submitted: {Quote(kind)}).";
        }

        foreach (var field in (string[])["X-Autoreply", "X-Autorespond"])
        {
            if (headers.Contains(field))
            {
                return $"It is an automatic reply ({field}).";
            }
        }

        if (headers["X-Auto-Response-Suppress"] is { } suppress
            && suppress.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(v => v.Equals("All", StringComparison.OrdinalIgnoreCase)
                    || v.Equals("AutoReply", StringComparison.OrdinalIgnoreCase)
                    || v.Equals("OOF", StringComparison.OrdinalIgnoreCase)) is { } suppressed)
        {
            return $"Its sender asked for no automatic replies (X-Auto-Response-Suppress: {suppressed}).";
        }

        if (headers[HeaderId.Precedence] is { } precedence && FirstToken(precedence) is var level
            && level.ToLowerInvariant() is "bulk" or "list" or "junk")
        {
            return $"It is bulk mail (Precedence: {level.ToLowerInvariant()}).";
        }

        if (headers.Contains(HeaderId.ListId) || headers.Contains(HeaderId.ListUnsubscribe))
        {
            return $"It comes from a mailing list ({(headers.Contains(HeaderId.ListId) ? "List-Id" : "List-Unsubscribe")}).";
        }

        var returnPath = headers[HeaderId.ReturnPath]?.Trim();
        if (returnPath == "<>")
        {
            return "It has an empty return path (<>), as bounces and other automatic mail do.";
        }

        var robot = message.From.Mailboxes.Select(m => m.Address)
            .Append(message.Sender?.Address)
            .Append(returnPath is null ? null : returnPath.Trim('<', '>', ' '))
            .FirstOrDefault(a => a is not null && IsMachineAddress(a));
        if (robot is not null)
        {
            return $"It comes from an address that takes no replies ({Quote(robot.ToLowerInvariant())}).";
        }

        return null;
    }

    /// <summary>
    /// The address a reply goes to, lower-cased: the Reply-To mailbox when there is exactly one, else the first From
    /// mailbox; null when there is none or it is not a valid address.
    /// </summary>
    public static string? SenderAddress(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var replyTo = message.ReplyTo.Mailboxes.ToList();
        if (replyTo.Count == 1 && Valid(replyTo[0].Address) is { } reply)
        {
            return reply;
        }

        return message.From.Mailboxes.Select(m => Valid(m.Address)).FirstOrDefault(a => a is not null);
    }

    /// <summary>Whether an address's local part is that of a mail system or a no-reply sender (mailer-daemon, noreply, …).</summary>
    internal static bool IsMachineAddress(string address)
    {
        var at = address.LastIndexOf('@');
        var local = (at < 0 ? address : address[..at]).Trim().Trim('"');
        return MachineLocalPart().IsMatch(local);
    }

    private static string? Valid(string? address)
    {
        var trimmed = address?.Trim();
        return trimmed is not null && MailAddress().IsMatch(trimmed) ? trimmed.ToLowerInvariant() : null;
    }

    /// <summary>The value before any parameters or comment ("auto-replied; owner-email=…" is "auto-replied").</summary>
    private static string FirstToken(string value)
    {
        var end = value.IndexOfAny([';', '(']);
        return (end < 0 ? value : value[..end]).Trim();
    }

    private static string Quote(string value) =>
        value.Length <= MaxQuotedValueLength ? value : value[..MaxQuotedValueLength] + "…";

    [GeneratedRegex(@"^(?:mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:\+.*)?\z", RegexOptions.IgnoreCase)]
    private static partial Regex MachineLocalPart();

    /// <summary>A local part and a domain with a dot, no white space or angle brackets anywhere.</summary>
    [GeneratedRegex(@"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+\z")]
    private static partial Regex MailAddress();
}
