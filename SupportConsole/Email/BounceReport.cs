using System.Text.RegularExpressions;
using MimeKit;

namespace SupportConsole.Email;

/// <summary>
/// A bounce: mail that says a message we sent was not (or not yet) delivered. <see cref="OriginalMessageIds"/> name that
/// message (its Message-ID, then the ids the bounce itself refers to; without angle brackets); <see cref="Status"/> is
/// the enhanced status code ("5.1.1"; 4.x.x is a delay), <see cref="Recipient"/> the lower-cased address that failed and
/// <see cref="Diagnostic"/> what the receiving server said, each null when the bounce does not tell.
/// </summary>
public sealed partial record BounceReport(IReadOnlyList<string> OriginalMessageIds, string? Status, string? Recipient, string? Diagnostic)
{
    /// <summary>
    /// Reads a bounce: a delivery status notification (multipart/report; report-type=delivery-status, RFC 3464) with a
    /// recipient whose action is failed or delayed, or a mail from MAILER-DAEMON or postmaster that carries the returned
    /// message (attached, or its headers, or its Message-ID line in the text). Null for anything else, including reports
    /// of successful delivery and read receipts.
    /// </summary>
    public static BounceReport? TryRead(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FindReport(message.Body) is { } report)
        {
            return FromReport(message, report);
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.Address;
        if (from is null || !MailSystemLocalPart().IsMatch(LocalPart(from)))
        {
            return null;
        }

        return FromMailSystem(message);
    }

    private static BounceReport? FromReport(MimeMessage message, MultipartReport report)
    {
        if (!string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(report.ReportType, "global-delivery-status", StringComparison.OrdinalIgnoreCase)
            && report.ReportType is not null)
        {
            return null;
        }

        var status = report.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is null)
        {
            return null;
        }

        // The first group holds the per-message fields; each further group is one recipient.
        var recipients = status.StatusGroups.Skip(1).ToList();
        var recipient = recipients.FirstOrDefault(g => IsAction(g, "failed"))
            ?? recipients.FirstOrDefault(g => IsAction(g, "delayed"))
            ?? recipients.FirstOrDefault(g => g["Action"] is null && StatusCode(g["Status"]) is ['4' or '5', ..]);
        if (recipient is null)
        {
            return null;
        }

        var original = report.OfType<MessagePart>().FirstOrDefault(p => p.Message is not null)?.Message;
        var address = AfterType(recipient["Original-Recipient"]) ?? AfterType(recipient["Final-Recipient"]);
        return new BounceReport(
            Ids(original?.MessageId, message),
            StatusCode(recipient["Status"]),
            address?.Trim('<', '>').ToLowerInvariant(),
            AfterType(recipient["Diagnostic-Code"]));
    }

    private static BounceReport? FromMailSystem(MimeMessage message)
    {
        var attached = FindAttachedMessage(message.Body);
        var text = EmailText.BodyOf(message);
        string? originalId;
        string notice;
        if (attached is not null)
        {
            originalId = attached.MessageId;
            notice = text;
        }
        else if (MessageIdLine().Match(text) is { Success: true } line)
        {
            originalId = line.Groups["id"].Value;
            notice = text[..line.Index];
        }
        else
        {
            return null;
        }

        var recipient = AngleAddress().Match(notice);
        var diagnostic = SmtpReplyLine().Match(notice);
        var code = EnhancedStatus().Match(notice);
        return new BounceReport(
            Ids(originalId, message),
            code.Success ? code.Value : null,
            recipient.Success ? recipient.Groups["address"].Value.ToLowerInvariant() : null,
            diagnostic.Success ? Unfold(diagnostic.Groups["reply"].Value) : null);
    }

    /// <summary>The multipart/report in a message's body (it may be wrapped in another multipart); attached messages aside.</summary>
    private static MultipartReport? FindReport(MimeEntity? entity) => entity switch
    {
        MultipartReport report => report,
        Multipart multipart => multipart.Select(FindReport).FirstOrDefault(r => r is not null),
        _ => null,
    };

    /// <summary>The first attached message (message/rfc822) or message headers (text/rfc822-headers) in a body.</summary>
    private static MimeMessage? FindAttachedMessage(MimeEntity? entity) => entity switch
    {
        MessagePart part => part.Message,
        Multipart multipart => multipart.Select(FindAttachedMessage).FirstOrDefault(m => m is not null),
        _ => null,
    };

    /// <summary>The original's Message-ID, then the bounce's In-Reply-To and References: without brackets, each once.</summary>
    private static List<string> Ids(string? originalId, MimeMessage bounce)
    {
        var ids = new List<string>();
        foreach (var id in new[] { originalId, bounce.InReplyTo }.Concat(bounce.References))
        {
            var bare = id?.Trim().Trim('<', '>').Trim();
            if (!string.IsNullOrEmpty(bare) && !ids.Contains(bare, StringComparer.Ordinal))
            {
                ids.Add(bare);
            }
        }

        return ids;
    }

    private static bool IsAction(HeaderList group, string action) =>
        string.Equals(FirstWord(group["Action"]), action, StringComparison.OrdinalIgnoreCase);

    /// <summary>The status code of a Status field ("5.1.1 (bad destination mailbox)" is "5.1.1").</summary>
    private static string? StatusCode(string? value) => FirstWord(value);

    private static string? FirstWord(string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        var end = trimmed.IndexOfAny([' ', '\t', '(', ';']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    /// <summary>A typed field's value after its type ("rfc822; bob@example.com" is "bob@example.com"), unfolded.</summary>
    private static string? AfterType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';');
        var rest = Unfold(semicolon < 0 ? value : value[(semicolon + 1)..]);
        return rest.Length == 0 ? null : rest;
    }

    private static string Unfold(string value) => WhiteSpace().Replace(value, " ").Trim();

    private static string LocalPart(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? address : address[..at];
    }

    [GeneratedRegex(@"^(?:mailer-daemon|postmaster)\z", RegexOptions.IgnoreCase)]
    private static partial Regex MailSystemLocalPart();

    /// <summary>A returned message's Message-ID header, quoted in a bounce's text.</summary>
    [GeneratedRegex(@"^[ \t]*Message-ID:[ \t]*<(?<id>[^<>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdLine();

    [GeneratedRegex(@"<(?<address>[^<>@\s]+@[^<>@\s]+)>")]
    private static partial Regex AngleAddress();

    /// <summary>A line with an SMTP error reply: a 4xx or 5xx code, then its text.</summary>
    [GeneratedRegex(@"(?<![\w.])(?<reply>[45]\d\d[ -][^\n]*)")]
    private static partial Regex SmtpReplyLine();

    [GeneratedRegex(@"(?<![\w.])[45]\.\d{1,3}\.\d{1,3}(?!\.?\d)")]
    private static partial Regex EnhancedStatus();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
