using System.Security.Cryptography;
using System.Text;
using SupportConsole.Ingest;

namespace SupportConsole.Email;

/// <summary>
/// How mail's message ids map to the ids of the <c>email</c> channel. A message's <c>Message-ID</c> (no angle brackets)
/// is its external id, or a hash of it when longer than a ticket id may be. A reply we send has the id
/// <c>&lt;{outbox message id}@{mailbox domain}&gt;</c>, whose local part is the external id of the reply in its
/// conversation, so the customer's answer (its <c>In-Reply-To</c>) finds the conversation.
/// </summary>
public static class EmailIds
{
    /// <summary>How an id kept as the hash of a message id too long for a ticket id begins.</summary>
    public const string HashedPrefix = "sha256:";

    /// <summary>The channel name of tickets that came from a mailbox.</summary>
    public const string Channel = "email";

    /// <summary>The external id of a message with this <c>Message-ID</c> (angle brackets or not).</summary>
    public static string ExternalIdOf(string messageId)
    {
        var id = Bare(messageId);
        return id.Length <= TicketIngestor.MaxExternalIdLength && !id.Any(char.IsControl)
            ? id
            : HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..40];
    }

    /// <summary>The ids a referenced message may have in a conversation: its external id and, for one of our replies, the outbox id.</summary>
    public static IEnumerable<string> CandidatesFor(string messageId)
    {
        var id = Bare(messageId);
        yield return ExternalIdOf(id);
        if (ReplyOutboxId(id) is { } outbox)
        {
            yield return outbox.ToString();
        }
    }

    /// <summary>The outbox message id in one of our replies' message ids, or null.</summary>
    public static Guid? ReplyOutboxId(string messageId)
    {
        var id = Bare(messageId);
        var at = id.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && Guid.TryParseExact(id[..at], "D", out var outbox) ? outbox : null;
    }

    /// <summary>The message id of our reply <paramref name="outboxId"/> sent from <paramref name="fromAddress"/> (no angle brackets).</summary>
    public static string ForReply(Guid outboxId, string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "supportconsole.invalid";
        return $"{outboxId:D}@{domain.ToLowerInvariant()}";
    }

    /// <summary>A message id for mail that has none: the hash of its bytes, so reading it twice gives the same id.</summary>
    public static string ForMessageWithoutId(ReadOnlySpan<byte> raw, string mailbox) =>
        $"sha256-{Convert.ToHexStringLower(SHA256.HashData(raw))[..32]}@{mailbox}.supportconsole.invalid";

    private static string Bare(string messageId) => messageId.Trim().TrimStart('<').TrimEnd('>').Trim();
}
