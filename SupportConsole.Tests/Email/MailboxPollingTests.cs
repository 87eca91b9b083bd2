using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Utils;
using SupportConsole.Data.Entities;
using SupportConsole.Email;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Email;

/// <summary>
/// A mailbox read by polling (IDLE off), whose processed mail is moved to another folder (never deleted); no SMTP server
/// configured, while a reply webhook is; and a limit on the size of a message read whole.
/// </summary>
public sealed class MailboxPollingTests
{
    [Fact]
    public async Task APolledMailboxTurnsNewMailIntoATicketMovesItKeepsRepliesToMailFromTheWebhookAndEscalatesTooLargeMail()
    {
        using var servers = new MailServers();
        await using var webhook = await FakeHttpServer.StartAsync();
        // No SMTP server, a reply webhook: replies to mail must wait, not go to the webhook.
        var settings = servers.ConsoleSettings("polled", smtpPort: null);
        settings["Outbox:WebhookUrl"] = new Uri(webhook.BaseUrl, "/replies").ToString();
        settings["Email:MaxMessageBytes"] = "200000";
        settings["Email:Mailboxes:0:UseIdle"] = "false";
        settings["Email:Mailboxes:0:PollSeconds"] = "1";
        settings["Email:Mailboxes:0:Processed"] = "Move";
        settings["Email:Mailboxes:0:MoveTo"] = "Handled";
        using var app = new AppFactory(settings);
        app.Client().Dispose();

        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress("Pat", "pat@customer.example"));
        mail.To.Add(new MailboxAddress(null, servers.Address));
        mail.Subject = "Top-up";
        mail.MessageId = MimeUtils.GenerateMessageId("customer.example");
        mail.Body = new TextPart("plain") { Text = "How do I activate my new card?" };
        await servers.AppendAsync(mail);

        var clock = Stopwatch.StartNew();
        Ticket? ticket = null;
        while (ticket is null && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using var db = app.Database();
            ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.ExternalId == mail.MessageId && t.Status != TicketStatus.Received);
            await Task.Delay(100);
        }

        Assert.NotNull(ticket);
        Assert.Equal(MailboxConnection.Polling, app.Services.GetRequiredService<MailboxMonitor>().Get("polled")?.Connection);
        await using (var db = app.Database())
        {
            Assert.Equal("Pat", (await db.Customers.SingleAsync(c => c.Email == "pat@customer.example")).Name);
        }

        IReadOnlyList<MailboxMessage> state = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            state = await servers.MailboxStateAsync();
            if (state.Any(m => m.MessageId == mail.MessageId && m.Folder == "Handled"))
            {
                break;
            }

            await Task.Delay(200);
        }

        var moved = Assert.Single(state, m => m.MessageId == mail.MessageId && !m.Deleted);
        Assert.Equal("Handled", moved.Folder);
        Assert.Contains(MailboxReader.ProcessedKeyword, moved.Keywords);

        // Its auto reply is the email channel's: without an SMTP server it waits in the outbox, never at the webhook.
        await using (var db = app.Database())
        {
            Assert.Equal(TicketStatus.AutoResolved, ticket.Status);
            OutboxMessage? reply = null;
            while (reply?.LastError is null && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(200);
                reply = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.TicketId == ticket.Id);
            }

            Assert.StartsWith("waiting: its channel cannot send yet", reply!.LastError);
            Assert.Null(reply.DeliveredAt);
            Assert.Empty(webhook.Requests);
        }

        // Too large to read whole: an escalated ticket from its headers, the message left in the mailbox.
        var large = new MimeMessage();
        large.From.Add(new MailboxAddress(null, "big@customer.example"));
        large.To.Add(new MailboxAddress(null, servers.Address));
        large.Subject = "Scans";
        large.MessageId = MimeUtils.GenerateMessageId("customer.example");
        var body = new BodyBuilder { TextBody = "The scans you asked for." };
        body.Attachments.Add("scan.png", new byte[300_000], new ContentType("image", "png"));
        large.Body = body.ToMessageBody();
        await servers.AppendAsync(large);
        Ticket? escalated = null;
        while (escalated is null && clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            await using var db = app.Database();
            escalated = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.ExternalId == large.MessageId && t.Status != TicketStatus.Received);
            await Task.Delay(100);
        }

        Assert.Equal(TicketStatus.Escalated, escalated?.Status);
        Assert.Contains("over the 0.2 MB limit", escalated!.Body);
        await using (var db = app.Database())
        {
            var headers = await db.TicketAttachments.AsNoTracking().SingleAsync(a => a.TicketId == escalated.Id);
            Assert.Contains("Subject: Scans", System.Text.Encoding.UTF8.GetString(headers.Content!));
            Assert.True(headers.SizeBytes < 10_000);
        }
    }
}
