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

/// <summary>
/// The burst (<see cref="Appended"/> messages appended as fast as IMAP takes them: throughput, and latency with a queue)
/// and the latency phase (one message at a time, each waited for: the latency a customer sees on a quiet mailbox).
/// </summary>
public sealed record EmailBenchmarkReport(
    int WarmupMessages,
    int Appended,
    int Decided,
    int Lost,
    double Seconds,
    double MessagesPerSecond,
    double CpuMsPerMessage,
    LatencySummary BurstMailboxToDecisionMs,
    int BurstAutoReplies,
    int BurstRepliesReceivedBySmtp,
    int LatencyMessages,
    LatencySummary MailboxToReadMs,
    LatencySummary MailboxToDecisionMs,
    int AutoReplies,
    LatencySummary MailboxToReplyMs);

/// <summary>
/// Mail through the whole channel on this machine: a throw-away Dovecot and aiosmtpd on 127.0.0.1 (scripts/test-mail.sh), a
/// fresh in-process instance reading the mailbox with IDLE; each message a BANKING77 question from its own sender.
/// The burst appends messages as fast as IMAP takes them: messages decided per second from the first append to the last
/// decision. The latency phase appends one message at a time and waits for it: the time from its append to the console
/// reading it (IDLE's notice included), to its decision and, for an auto reply, to the SMTP server's acceptance of the reply.
/// </summary>
public static class EmailBenchmark
{
    public static async Task<EmailBenchmarkReport> RunAsync(IReadOnlyList<string> texts, int messages, int warmup, int latencyMessages, TimeSpan limit,
        string mailScript, CancellationToken cancellationToken)
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

        // Replies of the burst: wait (bounded) until every auto reply is delivered, then count what the SMTP server holds.
        var burstAuto = decided.Values.Count(d => d.Auto);
        while (run.Elapsed < limit + limit && decided.Values.Count(d => d.DeliveredAt is not null) < burstAuto)
        {
            await Task.Delay(200, cancellationToken);
            decided = await DecidedAsync(contexts, [.. appendedAt.Keys], 0, run, limit, cancellationToken);
        }

        var burstReceived = servers.RepliesTo(appendedAt.Keys);

        // One at a time: append, wait for the decision and, for an auto reply, for the SMTP server to take it.
        var readLatencies = new List<double>();
        var decisionLatencies = new List<double>();
        var replyLatencies = new List<double>();
        var quiet = Stopwatch.StartNew();
        for (var i = 0; i < latencyMessages && quiet.Elapsed < limit; i++)
        {
            var appended = DateTimeOffset.UtcNow;
            var id = await AppendAsync(imap, servers.User, $"quiet-{i}", texts[(warmup + messages + i) % texts.Count], cancellationToken);
            var one = await DecidedAsync(contexts, [id], 1, quiet, limit, cancellationToken);
            while (one.TryGetValue(id, out var d) && d.Auto && d.DeliveredAt is null && quiet.Elapsed < limit)
            {
                await Task.Delay(5, cancellationToken);
                one = await DecidedAsync(contexts, [id], 1, quiet, limit, cancellationToken);
            }

            if (one.TryGetValue(id, out var done))
            {
                readLatencies.Add((done.ReadAt - appended).TotalMilliseconds);
                decisionLatencies.Add((done.DecidedAt - appended).TotalMilliseconds);
                if (done.DeliveredAt is { } delivered)
                {
                    replyLatencies.Add((delivered - appended).TotalMilliseconds);
                }
            }
        }

        return new EmailBenchmarkReport(warmup, appendedAt.Count, decided.Count, appendedAt.Count - decided.Count, Math.Round(seconds, 2),
            Math.Round(decided.Count / Math.Max(seconds, 0.001), 1), Math.Round(cpuMs / Math.Max(1, decided.Count), 3),
            LatencySummary.Of([.. decided.Select(d => (d.Value.DecidedAt - appendedAt[d.Key]).TotalMilliseconds)]),
            burstAuto, burstReceived, decisionLatencies.Count, LatencySummary.Of(readLatencies), LatencySummary.Of(decisionLatencies), replyLatencies.Count, LatencySummary.Of(replyLatencies));
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

    private sealed record Decided(DateTimeOffset DecidedAt, bool Auto, DateTimeOffset? DeliveredAt, DateTimeOffset ReadAt);

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
                    ReadAt = db.InboundEmails.Where(e => e.ExternalId == t.ExternalId).Select(e => e.CreatedAt).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            if (rows.Count >= wanted || clock.Elapsed > limit)
            {
                return rows.ToDictionary(r => r.ExternalId, r => new Decided(r.DecidedAt, r.Auto, r.DeliveredAt, r.ReadAt), StringComparer.Ordinal);
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

        /// <summary>How many messages the SMTP server holds that answer one of <paramref name="messageIds"/>.</summary>
        public int RepliesTo(IEnumerable<string> messageIds)
        {
            var wanted = messageIds.ToHashSet(StringComparer.Ordinal);
            return new[] { "new", "cur" }.Select(d => Path.Combine(SmtpMaildir, d)).Where(Directory.Exists)
                .SelectMany(Directory.GetFiles)
                .Count(file => HeaderList.Load(file)[HeaderId.InReplyTo] is { } inReplyTo && wanted.Contains(inReplyTo.Trim().TrimStart('<').TrimEnd('>')));
        }

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
