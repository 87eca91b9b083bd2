using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Email;
using SupportConsole.Operations;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Email;

/// <summary>
/// The console killed with SIGKILL while it sends an auto reply by SMTP (its own process, SQLite, real Dovecot and
/// aiosmtpd behind a proxy that picks the moment): killed after the claim and before the send, the reply arrives exactly
/// once after the restart; killed after the server took it but before its answer arrived, it arrives once more, with the
/// same Message-ID.
/// </summary>
public sealed class EmailDeliveryCrashTests
{
    private const string AutoText = "How do I activate my new card?";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AnAutoReplyArrivesOnceAcrossAKillBeforeTheSendAndOnceMoreWithTheSameMessageIdAcrossAKillAfterIt()
    {
        using var servers = new MailServers();
        using var proxy = new SmtpProxy(servers.SmtpPort) { Mode = SmtpProxyMode.Hang };
        using var state = new TemporaryDirectory();
        var data = Path.Combine(state.Path, "var");
        var environment = servers.ConsoleSettings("support", proxy.Port, "__").ToDictionary(p => p.Key, p => p.Value!);

        // The password from an environment variable, as a real installation keeps it.
        environment.Remove("Email__Mailboxes__0__Password");
        environment["Email__Mailboxes__0__PasswordVariable"] = "TEST_MAILBOX_PASSWORD";
        environment["TEST_MAILBOX_PASSWORD"] = servers.Password;
        environment["SUPPORTCONSOLE_DATA_DIR"] = data;

        // A claim lasts three timeouts (15 s); the sweep looks every two seconds for what came due. The test kills the
        // console well inside a timeout after the moment it waits for.
        environment["Outbox__RequestTimeoutSeconds"] = "5";
        environment["Outbox__FirstRetrySeconds"] = "1";
        environment["Jobs__OutboxSweepCron"] = "*/2 * * * * *";

        // 1. Killed after the claim, while the SMTP server has not even greeted it.
        var beforeSend = Mail("crash-one@customer.example");
        OutboxMessage claimed;
        await using (var doomed = await AppInstanceProcess.StartAsync("before-send", environment, TimeSpan.FromSeconds(180), CancellationToken.None))
        {
            await servers.AppendAsync(beforeSend);
            claimed = await UntilAsync(data, async db => proxy.Sessions > 0
                ? await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => db.Tickets.Any(t => t.Id == m.TicketId && t.ExternalId == beforeSend.MessageId)
                    && m.Attempts == 1 && m.DeliveredAt == null)
                : null);
            doomed.Kill();
            Assert.True(doomed.HasExited);
        }

        Assert.Empty(await servers.ReceivedAsync());
        proxy.Mode = SmtpProxyMode.Pass;
        var afterSend = Mail("crash-two@customer.example");
        var endedBefore = 0;
        await using (var restarted = await AppInstanceProcess.StartAsync("after-claim", environment, TimeSpan.FromSeconds(180), CancellationToken.None))
        {
            var first = await servers.WaitForReceivedAsync(m => m.InReplyTo == beforeSend.MessageId, Patience);
            var delivered = await UntilAsync(data, db => db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == claimed.Id && m.DeliveredAt != null));
            Assert.Equal(delivered.ChannelMessageId, first.MessageId);
            Assert.Single(await servers.ReceivedAsync(), m => m.InReplyTo == beforeSend.MessageId);

            // 2. Killed after the server took the reply, before its "250" reached the console.
            proxy.Mode = SmtpProxyMode.WithholdAfterData;
            endedBefore = proxy.MessagesEnded;
            await servers.AppendAsync(afterSend);
            await servers.WaitForReceivedAsync(m => m.InReplyTo == afterSend.MessageId, Patience);
            Assert.True(proxy.MessagesEnded > endedBefore);
            restarted.Kill();
        }

        var unconfirmed = await UntilAsync(data, db => db.OutboxMessages.AsNoTracking()
            .FirstOrDefaultAsync(m => db.Tickets.Any(t => t.Id == m.TicketId && t.ExternalId == afterSend.MessageId)));
        Assert.Null(unconfirmed.DeliveredAt);
        proxy.Mode = SmtpProxyMode.Pass;
        await using (var again = await AppInstanceProcess.StartAsync("after-send", environment, TimeSpan.FromSeconds(180), CancellationToken.None))
        {
            var delivered = await UntilAsync(data, db => db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == unconfirmed.Id && m.DeliveredAt != null));
            var copies = (await servers.ReceivedAsync()).Where(m => m.InReplyTo == afterSend.MessageId).ToList();
            Assert.Equal(2, copies.Count);
            Assert.All(copies, c => Assert.Equal(delivered.ChannelMessageId, c.MessageId));
            Assert.Single(await servers.ReceivedAsync(), m => m.InReplyTo == beforeSend.MessageId);
        }
    }

    private static MimeMessage Mail(string from)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, from));
        message.To.Add(new MailboxAddress(null, "support@example.test"));
        message.MessageId = MimeUtils.GenerateMessageId("customer.example");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = AutoText };
        return message;
    }

    private static async Task<T> UntilAsync<T>(string data, Func<SupportConsoleDbContext, Task<T?>> probe)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (File.Exists(Path.Combine(data, "supportconsole.db")))
            {
                await using var db = new SupportConsoleDbContext(new DbContextOptionsBuilder<SupportConsoleDbContext>()
                    .UseSqlite($"Data Source={Path.Combine(data, "supportconsole.db")};Pooling=False").Options);
                try
                {
                    if (await probe(db) is { } found)
                    {
                        return found;
                    }
                }
                catch (SqliteException)
                {
                    // The instance is still creating the schema.
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not there within {Patience.TotalSeconds:0} s");
    }
}
