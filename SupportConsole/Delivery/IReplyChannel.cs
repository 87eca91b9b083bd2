using SupportConsole.Data.Entities;

namespace SupportConsole.Delivery;

/// <summary>
/// A channel that delivers the replies to its own tickets itself (email, by SMTP) instead of the reply webhook. The
/// dispatcher claims the message first, so a channel never sends one reply from two places at once; a reply whose
/// send outcome was lost (a crash after the send) is sent again, so a channel keeps its message id fixed across tries.
/// </summary>
public interface IReplyChannel
{
    /// <summary>Where it sends, for logs (no secrets): e.g. <c>smtp://127.0.0.1:25</c>; null when it is not configured.</summary>
    string? Destination { get; }

    /// <summary>The reply is this channel's: its ticket came through it.</summary>
    Task<bool> OwnsAsync(OutboxMessage reply, CancellationToken cancellationToken);

    /// <summary>Sends the claimed reply; null when the receiver took it, else why not (the dispatcher retries).</summary>
    Task<string?> SendAsync(OutboxMessage reply, CancellationToken cancellationToken);
}
