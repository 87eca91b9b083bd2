using System.Collections.Concurrent;

namespace SupportConsole.Email;

/// <summary>Where a mailbox reader is.</summary>
public enum MailboxConnection
{
    /// <summary>Not started yet, or connecting.</summary>
    Connecting,

    /// <summary>Connected and waiting for new mail with IDLE.</summary>
    Idle,

    /// <summary>Connected to a server without IDLE: asking for new mail every few seconds.</summary>
    Polling,

    /// <summary>Reading new messages.</summary>
    Reading,

    /// <summary>The last attempt failed; it is tried again after a wait.</summary>
    Failed,
}

/// <summary>One mailbox's state as its reader last saw it (this instance's reader).</summary>
public sealed record MailboxStatus(
    string Name,
    MailboxConnection Connection,
    DateTimeOffset? ConnectedSince,
    DateTimeOffset? LastMessageAt,
    long MessagesRead,
    string? LastError,
    DateTimeOffset? LastErrorAt);

/// <summary>What each mailbox reader reports, for the Email page and the logs; and what the last SMTP send did.</summary>
public sealed class MailboxMonitor(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, MailboxStatus> _mailboxes = new(StringComparer.Ordinal);

    /// <summary>The last outcome of a send through SMTP: when, and the error (null: it went).</summary>
    public (DateTimeOffset At, string? Error)? LastSend { get; private set; }

    public MailboxStatus? Get(string name) => _mailboxes.GetValueOrDefault(name);

    public void Connecting(string name) => Update(name, s => s with { Connection = MailboxConnection.Connecting });

    public void Connected(string name, bool idle) =>
        Update(name, s => s with { Connection = idle ? MailboxConnection.Idle : MailboxConnection.Polling, ConnectedSince = s.ConnectedSince ?? clock.GetUtcNow() });

    public void Reading(string name) => Update(name, s => s with { Connection = MailboxConnection.Reading });

    public void Read(string name) => Update(name, s => s with { MessagesRead = s.MessagesRead + 1, LastMessageAt = clock.GetUtcNow() });

    public void Failed(string name, string error) =>
        Update(name, s => s with { Connection = MailboxConnection.Failed, ConnectedSince = null, LastError = error, LastErrorAt = clock.GetUtcNow() });

    public void Sent(string? error) => LastSend = (clock.GetUtcNow(), error);

    private void Update(string name, Func<MailboxStatus, MailboxStatus> change) =>
        _mailboxes.AddOrUpdate(name, n => change(new MailboxStatus(n, MailboxConnection.Connecting, null, null, 0, null, null)), (_, s) => change(s));
}
