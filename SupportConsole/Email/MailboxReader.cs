using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace SupportConsole.Email;

/// <summary>
/// Reads every configured mailbox over IMAP, one loop each: connect, hand each message not yet processed to
/// <see cref="EmailIntake"/> in arrival order, then flag it (or flag and move it; never delete it), then wait for new mail
/// with IDLE where the server has it and by polling otherwise. A broken connection is tried again after a wait that
/// doubles up to <see cref="EmailOptions.MaxReconnectSeconds"/>; a message is flagged only after it is stored, so a
/// crash or an outage reads it again and the intake finishes it once.
/// </summary>
public sealed class MailboxReader(
    EmailIntake intake,
    MailboxMonitor monitor,
    IOptionsMonitor<EmailOptions> options,
    ILogger<MailboxReader> logger) : BackgroundService
{
    /// <summary>The keyword a processed message gets (with \Seen).</summary>
    public const string ProcessedKeyword = "$SupportConsole";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.CurrentValue.Mailboxes.Select(m => Task.Run(() => RunAsync(m, stoppingToken), stoppingToken)));

    private async Task RunAsync(MailboxOptions mailbox, CancellationToken stoppingToken)
    {
        if (mailbox.Security == SecureSocketOptions.None && !IsLoopback(mailbox.Host))
        {
            logger.LogWarning("Mailbox {Mailbox}: {Host} is not on this machine and Security is None: the password and the mail cross the network in clear",
                mailbox.Name, mailbox.Host);
        }

        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                monitor.Connecting(mailbox.Name);
                await ReadAsync(mailbox, () => wait = TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                monitor.Failed(mailbox.Name, e.Message);
                logger.LogWarning("Mailbox {Mailbox} ({Host}:{Port}): {Error}; trying again in {Seconds:0} s",
                    mailbox.Name, mailbox.Host, mailbox.Port, e.Message, wait.TotalSeconds);
            }

            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait = TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds * 2, options.CurrentValue.MaxReconnectSeconds));
        }
    }

    /// <summary>One connection: read what waits, then wait for more, until the connection breaks or the app stops.</summary>
    private async Task ReadAsync(MailboxOptions mailbox, Action connected, CancellationToken stoppingToken)
    {
        using var client = new ImapClient();
        client.Timeout = 60_000;
        await client.ConnectAsync(mailbox.Host, mailbox.Port, mailbox.Security, stoppingToken);
        await client.AuthenticateAsync(mailbox.User, mailbox.ResolvePassword() ?? string.Empty, stoppingToken);
        var folder = await client.GetFolderAsync(mailbox.Folder, stoppingToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, stoppingToken);
        var target = mailbox.Processed == ProcessedMail.Move ? await MoveTargetAsync(client, mailbox, stoppingToken) : null;
        var idle = mailbox.UseIdle && client.Capabilities.HasFlag(ImapCapabilities.Idle);
        monitor.Connected(mailbox.Name, idle);
        connected();
        logger.LogInformation("Mailbox {Mailbox}: connected to {Host}:{Port}, folder {Folder}, {Mode}", mailbox.Name, mailbox.Host, mailbox.Port,
            mailbox.Folder, idle ? "IDLE" : $"polling every {mailbox.PollSeconds:0.#} s");

        // New mail reported while reading (an EXISTS during a command) is read before the next IDLE, not after it.
        var arrived = 0;
        CancellationTokenSource? idling = null;
        void OnCountChanged(object? sender, EventArgs e)
        {
            Interlocked.Exchange(ref arrived, 1);
            idling?.Cancel();
        }

        folder.CountChanged += OnCountChanged;
        var failed = new Dictionary<uint, (int Attempts, DateTimeOffset RetryAt)>();
        while (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref arrived, 0);
            await ReadWaitingAsync(mailbox, folder, target, failed, stoppingToken);
            monitor.Connected(mailbox.Name, idle);
            if (Volatile.Read(ref arrived) == 1)
            {
                continue;
            }

            // Wake for the next retry of a message that failed, if it comes before the IDLE renewal or the next poll.
            var wait = idle ? TimeSpan.FromMinutes(mailbox.IdleRenewMinutes) : TimeSpan.FromSeconds(mailbox.PollSeconds);
            if (failed.Count > 0 && failed.Values.Min(f => f.RetryAt) - DateTimeOffset.UtcNow is var retry && retry < wait)
            {
                wait = retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry;
            }

            if (idle)
            {
                // IDLE until the server reports new mail, renewed every few minutes (servers drop long IDLEs).
                using var done = new CancellationTokenSource(wait);
                idling = done;
                try
                {
                    await client.IdleAsync(done.Token, stoppingToken);
                }
                finally
                {
                    idling = null;
                }
            }
            else
            {
                await Task.Delay(wait, stoppingToken);
                await client.NoOpAsync(stoppingToken);
            }
        }

        await client.DisconnectAsync(quit: true, CancellationToken.None);
    }

    /// <summary>
    /// Every message of the folder not flagged as processed, oldest first: stored, then flagged (and moved). One that
    /// fails (the database away) stays unflagged and is tried again after 30 s, then twice as long each time up to an
    /// hour; the others go on meanwhile.
    /// </summary>
    private async Task ReadWaitingAsync(MailboxOptions mailbox, IMailFolder folder, IMailFolder? target,
        Dictionary<uint, (int Attempts, DateTimeOffset RetryAt)> failed, CancellationToken stoppingToken)
    {
        var now = DateTimeOffset.UtcNow;
        var waiting = (await folder.SearchAsync(SearchQuery.NotKeyword(ProcessedKeyword), stoppingToken))
            .Where(u => !failed.TryGetValue(u.Id, out var f) || f.RetryAt <= now)
            .OrderBy(u => u.Id)
            .ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        monitor.Reading(mailbox.Name);
        var sizes = (await folder.FetchAsync(waiting, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, stoppingToken))
            .ToDictionary(m => m.UniqueId.Id, m => (long?)m.Size);
        var limit = options.CurrentValue.MaxMessageBytes;
        foreach (var uid in waiting)
        {
            EmailIntakeResult result;
            try
            {
                if (sizes.GetValueOrDefault(uid.Id) is { } size && size > limit)
                {
                    // Too large to read into memory: its headers become an escalated ticket; the message stays in the mailbox.
                    using var headers = new MemoryStream();
                    (await folder.GetHeadersAsync(uid, stoppingToken)).WriteTo(headers);
                    headers.Write("\r\n"u8);
                    result = await intake.ReceiveAsync(mailbox, headers.ToArray(), stoppingToken,
                        tooLarge: $"it is {size / (1024.0 * 1024):0.#} MB, over the {limit / (1024.0 * 1024):0.#} MB limit (Email:MaxMessageBytes); read it in the mailbox");
                }
                else
                {
                    byte[] raw;
                    using (var stream = await folder.GetStreamAsync(uid, string.Empty, stoppingToken))
                    using (var copy = new MemoryStream())
                    {
                        await stream.CopyToAsync(copy, stoppingToken);
                        raw = copy.ToArray();
                    }

                    result = await intake.ReceiveAsync(mailbox, raw, stoppingToken);
                }

                await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Keywords = { ProcessedKeyword }, Silent = true },
                    stoppingToken);
                if (target is not null)
                {
                    await folder.MoveToAsync(uid, target, stoppingToken);
                }
            }
            catch (MessageNotFoundException)
            {
                // Gone meanwhile: another instance reading the same mailbox moved it (after storing it, once).
                failed.Remove(uid.Id);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not IOException && e is not ImapProtocolException && e is not ServiceNotConnectedException)
            {
                // Left unflagged, tried again later; a broken connection (above) ends this one and reconnects instead.
                var attempts = failed.TryGetValue(uid.Id, out var f) ? f.Attempts + 1 : 1;
                var delay = TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, attempts - 1)));
                failed[uid.Id] = (attempts, DateTimeOffset.UtcNow + delay);
                monitor.Failed(mailbox.Name, $"message {uid.Id}: {e.Message}");
                logger.LogError(e, "Mailbox {Mailbox}: message {Uid} could not be stored (attempt {Attempt}); it stays unflagged and is tried again in {Delay:0} s",
                    mailbox.Name, uid.Id, attempts, delay.TotalSeconds);
                continue;
            }

            failed.Remove(uid.Id);
            monitor.Read(mailbox.Name);
            logger.LogInformation("Mailbox {Mailbox}: message {Uid} -> {Outcome} {TicketId}{Again}", mailbox.Name, uid.Id, result.Outcome, result.TicketId,
                result.AlreadyHandled ? " (read before)" : string.Empty);
        }
    }

    private static bool IsLoopback(string host) =>
        host is "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    private static async Task<IMailFolder> MoveTargetAsync(ImapClient client, MailboxOptions mailbox, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(mailbox.MoveTo, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(mailbox.MoveTo, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"could not create the folder {mailbox.MoveTo}");
        }
    }
}
