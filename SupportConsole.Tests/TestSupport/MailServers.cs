using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace SupportConsole.Tests.TestSupport;

/// <summary>One message as the IMAP server holds it: where it is, its flags and keywords.</summary>
public sealed record MailboxMessage(string Folder, UniqueId Uid, MessageFlags Flags, IReadOnlyCollection<string> Keywords, string? MessageId, string? Subject)
{
    public bool Seen => Flags.HasFlag(MessageFlags.Seen);

    public bool Deleted => Flags.HasFlag(MessageFlags.Deleted);
}

/// <summary>
/// A throw-away mail pair of our own, started with scripts/test-mail.sh in a folder under /tmp: Dovecot serving IMAP
/// for one user (<see cref="User"/>, whose address it also is) and aiosmtpd storing whatever it is sent by SMTP in
/// <see cref="SmtpMaildir"/>, both on free ports of 127.0.0.1, without TLS. One per test class (an
/// <c>IClassFixture&lt;MailServers&gt;</c>) or per test; disposing it stops both and deletes the folder. When the
/// servers cannot start (not installed: scripts/install-test-dependencies.sh installs them) the constructor throws
/// with the script's error: the tests fail, they never skip.
/// </summary>
public sealed class MailServers : IDisposable
{
    public const string Host = "127.0.0.1";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan ImapTimeout = TimeSpan.FromSeconds(20);

    private readonly string _script = Path.Combine(RepositoryPaths.Root, "scripts", "test-mail.sh");

    private readonly EventHandler _stopAtExit;

    private int _disposed;

    public MailServers()
    {
        // Short: Dovecot's sockets are in it, and a socket's path may be 107 bytes at most.
        Directory = Path.Combine("/tmp", $"supportconsole-test-mail-{Guid.NewGuid():N}"[..37]);
        string output;
        try
        {
            output = RunScript("start");
        }
        catch
        {
            TryRunScript("stop");
            throw;
        }

        var settings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        string Setting(string name) => settings.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"{_script} start printed no {name}:\n{output}");
        try
        {
            ImapPort = int.Parse(Setting("IMAP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
            SmtpPort = int.Parse(Setting("SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
            User = Setting("IMAP_USER");
            Password = Setting("IMAP_PASSWORD");
            SmtpMaildir = Setting("SMTP_MAILDIR");
        }
        catch
        {
            TryRunScript("stop");
            throw;
        }

        // A test process that exits without having disposed it still stops the servers.
        _stopAtExit = (_, _) =>
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                TryRunScript("stop");
            }
        };
        AppDomain.CurrentDomain.ProcessExit += _stopAtExit;
    }

    /// <summary>True when Dovecot and aiosmtpd are installed; without them the constructor throws (tests fail, not skip).</summary>
    public static bool Available =>
        File.Exists("/usr/sbin/dovecot") && File.Exists("/usr/lib/dovecot/imap") && System.IO.Directory.Exists("/usr/lib/python3/dist-packages/aiosmtpd");

    /// <summary>The servers' folder: Dovecot's config and log in dovecot/, aiosmtpd's log in smtp.log.</summary>
    public string Directory { get; }

    public int ImapPort { get; }

    public int SmtpPort { get; }

    /// <summary>The IMAP user's login, which is also its address.</summary>
    public string User { get; }

    public string Password { get; }

    public string Address => User;

    /// <summary>The Maildir aiosmtpd stores each message it is sent in (new/ and cur/).</summary>
    public string SmtpMaildir { get; }

    /// <summary>
    /// The console's settings for one mailbox on this IMAP server (no TLS) and, when <paramref name="smtpPort"/> is given,
    /// for replies through that port: keys joined by <paramref name="separator"/> (<c>:</c> for configuration, <c>__</c>
    /// for environment variables). Add to the result for anything else.
    /// </summary>
    public Dictionary<string, string?> ConsoleSettings(string mailbox, int? smtpPort, string separator = ":")
    {
        string Key(string path) => "Email" + separator + path.Replace(":", separator, StringComparison.Ordinal);
        var settings = new Dictionary<string, string?>
        {
            [Key("Mailboxes:0:Name")] = mailbox,
            [Key("Mailboxes:0:Address")] = Address,
            [Key("Mailboxes:0:Host")] = Host,
            [Key("Mailboxes:0:Port")] = ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [Key("Mailboxes:0:Security")] = "None",
            [Key("Mailboxes:0:User")] = User,
            [Key("Mailboxes:0:Password")] = Password,
        };
        if (smtpPort is { } port)
        {
            settings[Key("Smtp:Host")] = Host;
            settings[Key("Smtp:Port")] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[Key("Smtp:Security")] = "None";
        }

        return settings;
    }

    /// <summary>A client connected to the IMAP server (no TLS) and signed in as <see cref="User"/>; the caller disposes it.</summary>
    public async Task<ImapClient> ConnectImapAsync(CancellationToken cancellationToken = default)
    {
        var client = new ImapClient { Timeout = (int)ImapTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(Host, ImapPort, SecureSocketOptions.None, cancellationToken);
            await client.AuthenticateAsync(User, Password, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Puts <paramref name="message"/> into INBOX by IMAP APPEND, as if it had been delivered; returns its UID.</summary>
    public async Task<UniqueId?> AppendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        using var client = await ConnectImapAsync(cancellationToken);
        var uid = await client.Inbox.AppendAsync(message, MessageFlags.None, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
        return uid;
    }

    /// <summary>Puts a message given as its raw bytes (as a mail server would store it, malformed or not) into INBOX.</summary>
    public async Task<UniqueId?> AppendRawAsync(byte[] raw, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(raw, writable: false);
        using var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        return await AppendAsync(message, cancellationToken);
    }

    /// <summary>Every message aiosmtpd has been sent, oldest first (it adds X-Peer, X-MailFrom and X-RcptTo headers).</summary>
    public async Task<IReadOnlyList<MimeMessage>> ReceivedAsync(CancellationToken cancellationToken = default)
    {
        // aiosmtpd writes each message to tmp/ and renames it into new/: a file there is complete.
        var files = new[] { "new", "cur" }
            .Select(folder => Path.Combine(SmtpMaildir, folder))
            .Where(System.IO.Directory.Exists)
            .SelectMany(folder => new DirectoryInfo(folder).GetFiles())
            .OrderBy(file => file.LastWriteTimeUtc)
            .ThenBy(file => file.Name, StringComparer.Ordinal)
            .ToList();
        var messages = new List<MimeMessage>(files.Count);
        foreach (var file in files)
        {
            messages.Add(await MimeMessage.LoadAsync(file.FullName, cancellationToken));
        }

        return messages;
    }

    /// <summary>
    /// Waits until aiosmtpd has been sent at least <paramref name="count"/> messages, for at most
    /// <paramref name="timeout"/>, and returns them all; throws a <see cref="TimeoutException"/> saying what did arrive.
    /// </summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForReceivedAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var received = await ReceivedAsync();
            if (received.Count >= count)
            {
                return received;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{received.Count} of {count} messages reached the SMTP server within {timeout.TotalSeconds:0.#} s: "
                    + string.Join(", ", received.Select(m => m.MessageId)));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until aiosmtpd has been sent a message that <paramref name="match"/> accepts, for at most
    /// <paramref name="timeout"/>, and returns it; throws a <see cref="TimeoutException"/> saying what did arrive.
    /// </summary>
    public async Task<MimeMessage> WaitForReceivedAsync(Func<MimeMessage, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var received = await ReceivedAsync();
            if (received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"no matching message reached the SMTP server within {timeout.TotalSeconds:0.#} s; it has: "
                    + string.Join(", ", received.Select(m => m.MessageId)));
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Every message in every selectable folder of the IMAP user (INBOX, Archive, Junk, Sent, Trash and any folder
    /// the app created), read without changing anything: to check that a processed message was flagged or moved, and
    /// that nothing was deleted.
    /// </summary>
    public async Task<IReadOnlyList<MailboxMessage>> MailboxStateAsync(CancellationToken cancellationToken = default)
    {
        using var client = await ConnectImapAsync(cancellationToken);
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0], cancellationToken: cancellationToken);
        if (!folders.Any(f => f.FullName == client.Inbox.FullName))
        {
            folders = [client.Inbox, .. folders];
        }

        var state = new List<MailboxMessage>();
        foreach (var folder in folders.Where(f => !f.Attributes.HasFlag(FolderAttributes.NoSelect) && !f.Attributes.HasFlag(FolderAttributes.NonExistent)))
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            if (folder.Count > 0)
            {
                var summaries = await folder.FetchAsync(0, -1,
                    new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope), cancellationToken);
                state.AddRange(summaries.Select(s => new MailboxMessage(folder.FullName, s.UniqueId, s.Flags ?? MessageFlags.None,
                    s.Keywords.ToList(), s.Envelope?.MessageId, s.Envelope?.Subject)));
            }

            await folder.CloseAsync(false, cancellationToken);
        }

        await client.DisconnectAsync(true, cancellationToken);
        return state;
    }

    /// <summary>Stops the IMAP server (an outage: connecting is refused); the mail stays.</summary>
    public Task StopImapAsync() => Task.Run(() => RunScript("stop-imap"));

    /// <summary>Starts the IMAP server again after <see cref="StopImapAsync"/>, on the same port with the same mail.</summary>
    public Task StartImapAsync() => Task.Run(() => RunScript("start-imap"));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _stopAtExit;
        RunScript("stop");
    }

    private void TryRunScript(string action)
    {
        try
        {
            RunScript(action);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Cleaning up after a failure that is being reported already.
        }
    }

    /// <summary>Runs the script with <paramref name="action"/> on our folder, for at most a minute and a half; returns what it printed.</summary>
    private string RunScript(string action)
    {
        var start = new ProcessStartInfo(_script, [action, Directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {_script}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ScriptTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_script} {action} {Directory} did not end within {ScriptTimeout.TotalSeconds:0} s");
        }

        // The servers the script leaves running write to files of their own, not to these pipes: both end with it.
        if (!Task.WaitAll([output, error], TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{_script} {action} {Directory} ended but left its output open");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{_script} {action} {Directory} failed ({process.ExitCode}):\n{error.Result}{output.Result}");
        }

        return output.Result;
    }
}
