using System.Diagnostics;
using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Email;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Operations;

public sealed record EmailBenchmarkReport(
    int WarmupMessages,
    int Appended,
    int Decided,
    int Lost,
    double Seconds,
    double MessagesPerSecond,
    LatencySummary MailboxToDecisionMs,
    int AutoReplies,
    int RepliesReceivedBySmtp,
    LatencySummary MailboxToReplyMs,
    double CpuMsPerMessage);

/// <summary>
/// Mail through the whole channel on this machine: a throw-away Dovecot and aiosmtpd on 127.0.0.1 (scripts/test-mail.sh), a
/// fresh in-process instance reading the mailbox with IDLE; messages appended to the inbox one after another as fast as
/// IMAP takes them, each a BANKING77 question from its own sender. Measured from the first append: messages decided per
/// second, and per message the time from its append to its decision and, for auto replies, to the SMTP server's
/// acceptance of the reply.
/// </summary>
public static class EmailBenchmark
{
    public static async Task<EmailBenchmarkReport> RunAsync(IReadOnlyList<string> texts, int messages, int warmup, TimeSpan limit, string mailScript,
        CancellationToken cancellationToken)
    {
        using var servers = await ThrowAwayMailServers.StartAsync(mailScript, cancellationToken);
        await using var instance = await TemporaryInstance.StartAsync(new Dictionary<string, string?>
        {
            ["Email:Mailboxes:0:Name"] = "bench",
            ["Email:Mailboxes:0:Address"] = servers.User,
            ["Email:Mailboxes:0:Host"] = "127.0.0.1",
            ["Email:Mailboxes:0:Port"] = servers.ImapPort.ToString(CultureInfo.InvariantCulture),
            ["Email:Mailboxes:0:Security"] = "None",
            ["Email:Mailboxes:0:User"] = servers.User,
            ["Email:Mailboxes:0:Password"] = servers.Password,
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = servers.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Email:Smtp:Security"] = "None",

            // Each sender writes once: the hourly limit never applies, every certified answer goes out.
        }, cancellationToken);
        var contexts = instance.Services.GetRequiredService<IDbContextFactory<SupportConsoleDbContext>>();

        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", servers.ImapPort, SecureSocketOptions.None, cancellationToken);
        await imap.AuthenticateAsync(servers.User, servers.Password, cancellationToken);
        var clock = Stopwatch.StartNew();

        // Warm-up (JIT, pools, the router's first load): appended and waited for, not counted.
        var warm = new List<string>();
        for (var i = 0; i < warmup; i++)
        {
            warm.Add(await AppendAsync(imap, servers.User, $"warm-{i}", texts[i % texts.Count], cancellationToken));
        }

        await DecidedAsync(contexts, warm, warm.Count, clock, limit, cancellationToken);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var appendedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var start = DateTimeOffset.UtcNow;
        var run = Stopwatch.StartNew();
        for (var i = 0; i < messages && run.Elapsed < limit; i++)
        {
            var id = await AppendAsync(imap, servers.User, $"bench-{i}", texts[(warmup + i) % texts.Count], cancellationToken);
            appendedAt[id] = DateTimeOffset.UtcNow;
        }

        var decided = await DecidedAsync(contexts, [.. appendedAt.Keys], appendedAt.Count, run, limit, cancellationToken);
        var seconds = ((decided.Count == 0 ? DateTimeOffset.UtcNow : decided.Values.Max(d => d.DecidedAt)) - start).TotalSeconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;

        // Replies: wait (bounded) until every auto reply of the measured messages is delivered, then read the SMTP server's store.
        var replyLatencies = new List<double>();
        var autoReplies = decided.Values.Count(d => d.Auto);
        while (run.Elapsed < limit + limit && decided.Values.Count(d => d.DeliveredAt is not null) < autoReplies)
        {
            await Task.Delay(200, cancellationToken);
            decided = await DecidedAsync(contexts, [.. appendedAt.Keys], 0, run, limit, cancellationToken);
        }

        foreach (var (id, d) in decided)
        {
            if (d.DeliveredAt is { } delivered)
            {
                replyLatencies.Add((delivered - appendedAt[id]).TotalMilliseconds);
            }
        }

        var received = servers.ReceivedCount();
        return new EmailBenchmarkReport(warmup, appendedAt.Count, decided.Count, appendedAt.Count - decided.Count, Math.Round(seconds, 2),
            Math.Round(decided.Count / Math.Max(seconds, 0.001), 1),
            LatencySummary.Of([.. decided.Select(d => (d.Value.DecidedAt - appendedAt[d.Key]).TotalMilliseconds)]),
            autoReplies, received, LatencySummary.Of(replyLatencies), Math.Round(cpuMs / Math.Max(1, decided.Count), 3));
    }

    private static async Task<string> AppendAsync(ImapClient imap, string to, string sender, string text, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, $"{sender}@customer.example"));
        message.To.Add(new MailboxAddress(null, to));
        message.MessageId = MimeUtils.GenerateMessageId("customer.example");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = text };
        await imap.Inbox.AppendAsync(message, MessageFlags.None, cancellationToken);
        return message.MessageId;
    }

    private sealed record Decided(DateTimeOffset DecidedAt, bool Auto, DateTimeOffset? DeliveredAt);

    /// <summary>The decided ones among <paramref name="ids"/>; waits (bounded) until <paramref name="wanted"/> of them are.</summary>
    private static async Task<Dictionary<string, Decided>> DecidedAsync(IDbContextFactory<SupportConsoleDbContext> contexts, IReadOnlyList<string> ids,
        int wanted, Stopwatch clock, TimeSpan limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Tickets.AsNoTracking()
                .Where(t => t.Channel == EmailIds.Channel && ids.Contains(t.ExternalId) && t.DecidedAt != null)
                .Select(t => new
                {
                    t.ExternalId,
                    DecidedAt = t.DecidedAt!.Value,
                    Auto = t.Status == TicketStatus.AutoResolved || t.Status == TicketStatus.Answered,
                    DeliveredAt = db.OutboxMessages.Where(m => m.TicketId == t.Id).Select(m => m.DeliveredAt).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            if (rows.Count >= wanted || clock.Elapsed > limit)
            {
                return rows.ToDictionary(r => r.ExternalId, r => new Decided(r.DecidedAt, r.Auto, r.DeliveredAt), StringComparer.Ordinal);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Dovecot and aiosmtpd in a temporary folder, started and stopped by <c>scripts/test-mail.sh</c>.</summary>
    private sealed class ThrowAwayMailServers : IDisposable
    {
        private readonly string _script;
        private readonly string _directory;

        private ThrowAwayMailServers(string script, string directory, IReadOnlyDictionary<string, string> settings)
        {
            _script = script;
            _directory = directory;
            ImapPort = int.Parse(settings["IMAP_PORT"], CultureInfo.InvariantCulture);
            SmtpPort = int.Parse(settings["SMTP_PORT"], CultureInfo.InvariantCulture);
            User = settings["IMAP_USER"];
            Password = settings["IMAP_PASSWORD"];
            SmtpMaildir = settings["SMTP_MAILDIR"];
        }

        public int ImapPort { get; }

        public int SmtpPort { get; }

        public string User { get; }

        public string Password { get; }

        public string SmtpMaildir { get; }

        public static async Task<ThrowAwayMailServers> StartAsync(string script, CancellationToken cancellationToken)
        {
            if (!File.Exists(script))
            {
                throw new DataFileException($"{script}: not found (run from the repository's folder, or give --mail-script)");
            }

            var directory = Path.Combine("/tmp", $"supportconsole-bench-mail-{Guid.NewGuid():N}"[..38]);
            var (code, output, error) = await RunAsync(script, "start", directory, cancellationToken);
            if (code != 0)
            {
                await RunAsync(script, "stop", directory, CancellationToken.None);
                throw new InvalidOperationException($"{script} start failed: {error.Trim()}");
            }

            var settings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            return new ThrowAwayMailServers(script, directory, settings);
        }

        public int ReceivedCount() => new[] { "new", "cur" }.Select(d => Path.Combine(SmtpMaildir, d)).Where(Directory.Exists)
            .Sum(d => Directory.GetFiles(d).Length);

        public void Dispose() => RunAsync(_script, "stop", _directory, CancellationToken.None).GetAwaiter().GetResult();

        private static async Task<(int Code, string Output, string Error)> RunAsync(string script, string action, string directory, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(script, [action, directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await output, await error);
        }
    }
}
