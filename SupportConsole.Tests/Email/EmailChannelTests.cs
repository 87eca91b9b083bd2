using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;
using SupportConsole.Data.Entities;
using SupportConsole.Email;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Email;

/// <summary>The console reading a real IMAP server (Dovecot) and replying through a real SMTP server (aiosmtpd), both on 127.0.0.1.</summary>
public sealed class EmailChannelFixture : IDisposable
{
    public EmailChannelFixture()
    {
        Servers = new MailServers();
        var settings = Servers.ConsoleSettings("support", Servers.SmtpPort);
        settings["Email:MaxReconnectSeconds"] = "2";
        settings["Email:MaxAttachmentBytes"] = (25 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Factory = new AppFactory(settings);
        Factory.Client().Dispose();
    }

    public MailServers Servers { get; }

    public AppFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        Servers.Dispose();
    }
}

public sealed class EmailChannelTests(EmailChannelFixture fixture) : IClassFixture<EmailChannelFixture>
{
    /// <summary>Certified for an intent whose policy is auto in the demo tenant (the API tests rely on it too).</summary>
    private const string AutoText = "How do I activate my new card?";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private MailServers Servers => fixture.Servers;

    [Fact]
    public async Task NewMailBecomesATicketWithinFiveSecondsOverIdleAndStaysInTheMailboxFlagged()
    {
        // Warm: the first message routed loads what the first routing needs.
        var warm = Mail("warm@customer.example", "Hello", "Can I change the PIN of my card?");
        await Servers.AppendAsync(warm);
        await TicketOfAsync(warm, Patience);

        var mail = Mail("idle@customer.example", "My transfer", "I sent money to a friend yesterday and it has not arrived yet.");
        var clock = Stopwatch.StartNew();
        await Servers.AppendAsync(mail);
        var ticket = await TicketOfAsync(mail, TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the ticket took {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(EmailIds.Channel, ticket.Channel);
        await using var db = fixture.Factory.Database();
        var customer = await db.Customers.SingleAsync(c => c.Id == ticket.CustomerId);
        Assert.Equal("idle@customer.example", customer.Email);
        Assert.Equal("My transfer", ticket.Subject);

        var state = await UntilAsync(async () => (await Servers.MailboxStateAsync()).SingleOrDefault(m => m.MessageId == mail.MessageId) is { Seen: true } m
            && m.Keywords.Contains(MailboxReader.ProcessedKeyword) ? m : null, TimeSpan.FromSeconds(10));
        Assert.Equal("INBOX", state.Folder);
        Assert.False(state.Deleted);
    }

    [Fact]
    public async Task AReplyJoinsTheConversationAndTheRouterReadsItWithoutTheQuotedHistory()
    {
        var first = Mail("thread@customer.example", "Card payment", "Why was I charged twice for the same card payment?");
        await Servers.AppendAsync(first);
        var ticket = await TicketOfAsync(first, Patience);

        var reply = Mail("thread@customer.example", "Re: Card payment", """
            It was at the supermarket on Monday.

            On Tue, 8 Dec 2026 at 10:00, Thread <thread@customer.example> wrote:
            > Why was I charged twice for the same card payment?
            """);
        reply.InReplyTo = first.MessageId;
        reply.References.Add(first.MessageId!);
        await Servers.AppendAsync(reply);

        var message = await UntilAsync(async () =>
        {
            await using var db = fixture.Factory.Database();
            return await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Channel == EmailIds.Channel && m.ExternalId == reply.MessageId);
        }, Patience);
        Assert.Equal(ticket.Id, message.TicketId);
        Assert.Equal("It was at the supermarket on Monday.", message.Body);
        Assert.Contains("> Why was I charged twice", message.OriginalBody);
        Assert.Equal(first.MessageId, message.InReplyTo);

        await using var check = fixture.Factory.Database();
        Assert.Equal(1, await check.Tickets.CountAsync(t => t.CustomerId == ticket.CustomerId));
    }

    [Fact]
    public async Task AnAutoReplyGoesOutOnceFromTheMailboxThreadedAndMarkedAutomaticAndTheAnswerToItJoinsTheConversation()
    {
        var mail = Mail("auto@customer.example", null, AutoText);
        await Servers.AppendAsync(mail);
        var ticket = await TicketOfAsync(mail, Patience);
        Assert.Contains(ticket.Status, new[] { TicketStatus.AutoResolved, TicketStatus.Answered });

        var sent = await Servers.WaitForReceivedAsync(m => m.InReplyTo == mail.MessageId, Patience);
        Assert.Equal(Servers.Address, sent.From.Mailboxes.Single().Address);
        Assert.Equal("auto@customer.example", sent.To.Mailboxes.Single().Address);
        Assert.Equal([mail.MessageId!], sent.References);
        Assert.Equal("auto-replied", sent.Headers[HeaderId.AutoSubmitted]);
        Assert.Contains("Source:", sent.TextBody);

        await using (var db = fixture.Factory.Database())
        {
            var outbox = await UntilAsync(async () => await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.TicketId == ticket.Id && m.DeliveredAt != null), Patience);
            Assert.Equal(outbox.ChannelMessageId, sent.MessageId);
            Assert.Equal(TicketStatus.Answered, (await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id)).Status);
        }

        Assert.Single(await Servers.ReceivedAsync(), m => m.InReplyTo == mail.MessageId);

        // The customer answers the auto reply: the answer names our reply's Message-ID and joins the same ticket.
        var answer = Mail("auto@customer.example", "Re: Your message", "Thanks, but the app still says the card is inactive.");
        answer.InReplyTo = sent.MessageId;
        answer.References.Add(mail.MessageId!);
        answer.References.Add(sent.MessageId!);
        await Servers.AppendAsync(answer);
        var joined = await UntilAsync(async () =>
        {
            await using var db = fixture.Factory.Database();
            return await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Channel == EmailIds.Channel && m.ExternalId == answer.MessageId);
        }, Patience);
        Assert.Equal(ticket.Id, joined.TicketId);
    }

    [Fact]
    public async Task ABounceOfOurReplyIsNotedOnItsTicketAndStartsNoTicket()
    {
        var mail = Mail("bounce@customer.example", null, AutoText);
        await Servers.AppendAsync(mail);
        var ticket = await TicketOfAsync(mail, Patience);
        var sent = await Servers.WaitForReceivedAsync(m => m.InReplyTo == mail.MessageId, Patience);

        // A Postfix-style delivery status notification, with the returned reply's headers.
        var report = new MultipartReport("delivery-status");
        report.Add(new TextPart("plain") { Text = "This is the mail system at host mx.customer.example.\n\nYour message could not be delivered." });
        report.Add(new MimePart("message", "delivery-status")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(
                "Reporting-MTA: dns; mx.customer.example\r\n\r\nFinal-Recipient: rfc822; bounce@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"))),
        });
        report.Add(new MimePart("text", "rfc822-headers")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(
                $"From: {Servers.Address}\r\nTo: bounce@customer.example\r\nMessage-ID: <{sent.MessageId}>\r\nSubject: {sent.Subject}\r\n"))),
        });
        var bounce = new MimeMessage();
        bounce.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.customer.example"));
        bounce.To.Add(new MailboxAddress(null, Servers.Address));
        bounce.Subject = "Undelivered Mail Returned to Sender";
        bounce.MessageId = MimeUtils.GenerateMessageId("mx.customer.example");
        bounce.Body = report;
        await Servers.AppendAsync(bounce);

        var note = await UntilAsync(async () =>
        {
            await using var db = fixture.Factory.Database();
            return await db.TicketNotes.AsNoTracking().FirstOrDefaultAsync(n => n.TicketId == ticket.Id);
        }, Patience);
        Assert.Contains("bounced", note.Body);
        Assert.Contains("5.1.1", note.Body);
        await using var check = fixture.Factory.Database();
        Assert.Equal(InboundEmailOutcome.Bounce, (await check.InboundEmails.AsNoTracking().SingleAsync(e => e.MessageId == bounce.MessageId)).Outcome);
        Assert.False(await check.Tickets.AnyAsync(t => t.ExternalId == bounce.MessageId));
    }

    [Fact]
    public async Task ARobotAnsweringWithoutThreadingHeadersGetsOneAutoReplyAnHour()
    {
        var mail = Mail("loop@customer.example", "Activate card", AutoText);
        await Servers.AppendAsync(mail);
        var first = await TicketOfAsync(mail, Patience);
        Assert.Contains(first.Status, new[] { TicketStatus.AutoResolved, TicketStatus.Answered });

        // The same question again, as a new conversation that only its subject ties to the first.
        var again = Mail("loop@customer.example", "Re: Activate card", AutoText);
        await Servers.AppendAsync(again);
        var second = await TicketOfAsync(again, Patience);
        await using var db = fixture.Factory.Database();
        var decision = await db.Decisions.AsNoTracking().SingleAsync(d => d.TicketId == second.Id);
        Assert.Equal(ConfidenceBand.Suggest, decision.Band);
        Assert.Contains(EmailIntake.ReplyLimitHold, decision.ReasonsJson);
        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.TicketId == first.Id || m.TicketId == second.Id));
    }

    [Fact]
    public async Task AnAgentsReplyToAMailTicketGoesOutBySmtpThreadedAndNotMarkedAutomatic()
    {
        var mail = Mail("agent-reply@customer.example", "Fees", "Why was I charged a fee when I paid with my card?");
        await Servers.AppendAsync(mail);
        var ticket = await TicketOfAsync(mail, Patience);
        Assert.NotEqual(TicketStatus.AutoResolved, ticket.Status);

        var actions = fixture.Factory.Services.GetRequiredService<SupportConsole.Tickets.TicketActions>();
        var sent = await actions.SendAsync(ticket.Id, ticket.Version, "We refunded the fee; it shows on your statement within two days.", "agent@demo.example");
        Assert.True(sent.Succeeded, sent.Message);

        var reply = await Servers.WaitForReceivedAsync(m => m.InReplyTo == mail.MessageId, Patience);
        Assert.Equal("Re: Fees", reply.Subject);
        Assert.Equal(Servers.Address, reply.From.Mailboxes.Single().Address);
        Assert.Null(reply.Headers[HeaderId.AutoSubmitted]);
        Assert.Contains("We refunded the fee", reply.TextBody);
    }

    [Fact]
    public async Task TheEmailPageShowsTheMailboxWithoutItsPasswordAndItsTestMessageArrives()
    {
        await UntilAsync(async () => await Task.FromResult(fixture.Factory.Services.GetRequiredService<MailboxMonitor>().Get("support") is
            { Connection: MailboxConnection.Idle } s ? s : null), Patience);
        using var admin = await SignedInClient.CreateAsync(fixture.Factory, "admin");
        var html = await admin.GetStringAsync("/admin/email");
        Assert.Contains("support@example.test", html);
        Assert.Contains("connected (IDLE)", html);
        Assert.Contains("password: settings", html);
        Assert.DoesNotContain(Servers.Password, html);

        var email = fixture.Factory.Services.GetRequiredService<EmailAdmin>();
        Assert.Equal("'not an address' is not an email address.", await email.SendTestAsync("support", "not an address", "admin@demo.example", CancellationToken.None));
        Assert.Null(await email.SendTestAsync("support", "it@bank.example", "admin@demo.example", CancellationToken.None));
        var test = await Servers.WaitForReceivedAsync(m => m.Subject == "SupportConsole test message", Patience);
        Assert.Equal("it@bank.example", test.To.Mailboxes.Single().Address);
        await using var db = fixture.Factory.Database();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "email.test-sent" && e.Actor == "admin@demo.example"));
    }

    [Fact]
    public async Task MachineMailGetsNoAutoReplyAndSaysWhy()
    {
        var mail = Mail("robot@customer.example", null, AutoText);
        mail.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        await Servers.AppendAsync(mail);
        var ticket = await TicketOfAsync(mail, Patience);

        await using var db = fixture.Factory.Database();
        var decision = await UntilAsync(async () => await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.TicketId == ticket.Id), Patience);
        Assert.Equal(ConfidenceBand.Suggest, decision.Band);
        Assert.True(decision.Certified, "the text alone would have been answered");
        Assert.Contains(EmailIntake.AutomaticHold, decision.ReasonsJson);
        Assert.False(await db.OutboxMessages.AnyAsync(m => m.TicketId == ticket.Id));
    }

    [Fact]
    public async Task ATenMegabyteAttachmentIsStoredAndAThirtyMegabyteOneRefusedWithTheTicketStillCreated()
    {
        var small = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        var large = RandomNumberGenerator.GetBytes(30 * 1024 * 1024);
        var body = new BodyBuilder { TextBody = "Here are the statements you asked for." };
        body.Attachments.Add("statement.pdf", small, new ContentType("application", "pdf"));
        body.Attachments.Add("scan.tiff", large, new ContentType("image", "tiff"));
        var mail = Mail("files@customer.example", "Statements", null);
        mail.Body = body.ToMessageBody();
        await Servers.AppendAsync(mail);

        var ticket = await TicketOfAsync(mail, TimeSpan.FromSeconds(120));
        await using var db = fixture.Factory.Database();
        var files = await UntilAsync(async () =>
        {
            var stored = await db.TicketAttachments.AsNoTracking().Where(a => a.TicketId == ticket.Id).OrderBy(a => a.Position).ToListAsync();
            return stored.Count == 2 ? stored : null;
        }, Patience);
        Assert.Equal("statement.pdf", files[0].FileName);
        Assert.Equal(small.Length, files[0].SizeBytes);
        Assert.Equal(small, files[0].Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(small)), files[0].Sha256);
        Assert.Null(files[0].RefusedReason);
        Assert.Equal("scan.tiff", files[1].FileName);
        Assert.Equal(large.Length, files[1].SizeBytes);
        Assert.Null(files[1].Content);
        Assert.StartsWith("over the 25 MB limit", files[1].RefusedReason);
        Assert.Equal("Here are the statements you asked for.", ticket.Body);
    }

    [Fact]
    public async Task AnInlineFileIsStoredAndMailThatWaitedForDaysGetsNoAutoReply()
    {
        var mail = Mail("inline@customer.example", null, null);
        mail.Date = DateTimeOffset.UtcNow.AddDays(-3);
        var text = new TextPart("plain") { Text = AutoText };
        var pdf = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(Enumerable.Range(0, 2048).Select(i => (byte)i).ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "card\r\nletter.pdf" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        mail.Body = new Multipart("mixed") { text, pdf };
        await Servers.AppendAsync(mail);

        var ticket = await TicketOfAsync(mail, Patience);
        await using var db = fixture.Factory.Database();
        var decision = await db.Decisions.AsNoTracking().SingleAsync(d => d.TicketId == ticket.Id);
        Assert.Equal(ConfidenceBand.Suggest, decision.Band);
        Assert.Contains(EmailIntake.StaleHold, decision.ReasonsJson);
        var file = await UntilAsync(async () => await db.TicketAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.TicketId == ticket.Id), Patience);
        Assert.Equal(2048, file.SizeBytes);
        Assert.DoesNotContain('\n', file.FileName);
        Assert.EndsWith("letter.pdf", file.FileName);
    }

    [Fact]
    public async Task MailWithNoSenderIsEscalatedWithTheMessageAsReceivedAttached()
    {
        var raw = "Message-ID: <no-sender-1@customer.example>\r\nSubject: help\r\nDate: Tue, 08 Dec 2026 09:00:00 +0000\r\n\r\nmy card does not work\r\n"u8.ToArray();
        await Servers.AppendRawAsync(raw);

        var ticket = await UntilAsync(async () =>
        {
            await using var db = fixture.Factory.Database();
            return await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Channel == EmailIds.Channel && t.ExternalId == "no-sender-1@customer.example"
                && t.Status != TicketStatus.Received);
        }, Patience);
        Assert.Equal(TicketStatus.Escalated, ticket.Status);
        await using var check = fixture.Factory.Database();
        var attached = await check.TicketAttachments.AsNoTracking().SingleAsync(a => a.TicketId == ticket.Id);
        Assert.Equal(EmailIntake.OriginalMessageFileName, attached.FileName);
        var kept = System.Text.Encoding.UTF8.GetString(attached.Content!);
        Assert.Contains("no-sender-1@customer.example", kept);
        Assert.Contains("my card does not work", kept);
        var record = await check.InboundEmails.AsNoTracking().SingleAsync(e => e.MessageId == "no-sender-1@customer.example");
        Assert.Equal(InboundEmailOutcome.Unreadable, record.Outcome);
    }

    [Fact]
    public async Task TheImapServerStoppedForThirtySecondsTheConsoleReconnectsAndLosesNothing()
    {
        var before = Mail("outage@customer.example", "Before", "Can I get a refund for a cancelled order?");
        await Servers.AppendAsync(before);
        await TicketOfAsync(before, Patience);

        await Servers.StopImapAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Servers.StartImapAsync();
        }

        var after = Mail("outage@customer.example", "After", "My card payment was declined at a shop today.");
        await Servers.AppendAsync(after);
        await TicketOfAsync(after, Patience);
        await using var db = fixture.Factory.Database();
        Assert.Equal(2, await db.InboundEmails.CountAsync(e => e.FromAddress == "outage@customer.example"));
    }

    private static MimeMessage Mail(string from, string? subject, string? text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(null, from));
        message.To.Add(new MailboxAddress(null, "support@example.test"));
        message.Subject = subject ?? string.Empty;
        message.MessageId = MimeUtils.GenerateMessageId("customer.example");
        message.Date = DateTimeOffset.UtcNow;
        if (text is not null)
        {
            message.Body = new TextPart("plain") { Text = text };
        }

        return message;
    }

    /// <summary>The ticket the message started, once it is decided.</summary>
    private async Task<Ticket> TicketOfAsync(MimeMessage message, TimeSpan timeout) => await UntilAsync(async () =>
    {
        await using var db = fixture.Factory.Database();
        return await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Channel == EmailIds.Channel && t.ExternalId == message.MessageId
            && t.Status != TicketStatus.Received);
    }, timeout);

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not there within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100);
        }
    }
}
