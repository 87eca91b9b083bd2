using System.Net.Sockets;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Email;

/// <summary>The mail servers the email channel's tests run against (scripts/test-mail.sh) work: IMAP in, SMTP out, an outage.</summary>
public sealed class MailServersTests(MailServers mail) : IClassFixture<MailServers>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AMessageAppendedToTheInboxIsThereForAnImapClientWithItsFlagsUntouched()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var appended = Message("Card not arriving", "My new card has not arrived yet.");
        var raw = Encoding.ASCII.GetBytes(
            "From: Raw Customer <raw@customer.test>\r\n"
            + $"To: {mail.Address}\r\n"
            + "Subject: Raw message\r\n"
            + $"Message-ID: <raw-{Guid.NewGuid():N}@customer.test>\r\n"
            + "X-Odd-Header:   kept as it is\r\n"
            + "\r\n"
            + "Sent as bytes.\r\n");
        Assert.NotNull(await mail.AppendAsync(appended, timeout.Token));
        Assert.NotNull(await mail.AppendRawAsync(raw, timeout.Token));

        using var client = await mail.ConnectImapAsync(timeout.Token);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle), "the IMAP server offers IDLE");
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, timeout.Token);
        var uid = Assert.Single(await client.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", appended.MessageId!), timeout.Token));
        using var read = await client.Inbox.GetMessageAsync(uid, timeout.Token);
        Assert.Equal("Card not arriving", read.Subject);
        Assert.Equal("My new card has not arrived yet.", read.TextBody?.Trim());
        Assert.Equal("customer@customer.test", read.From.Mailboxes.Single().Address);
        var rawUid = Assert.Single(await client.Inbox.SearchAsync(SearchQuery.SubjectContains("Raw message"), timeout.Token));
        using var rawRead = await client.Inbox.GetMessageAsync(rawUid, timeout.Token);
        Assert.Equal("kept as it is", rawRead.Headers["X-Odd-Header"]?.Trim());
        await client.DisconnectAsync(true, timeout.Token);

        var state = await mail.MailboxStateAsync(timeout.Token);
        var inInbox = Assert.Single(state, m => m.MessageId == appended.MessageId);
        Assert.Equal("INBOX", inInbox.Folder);
        Assert.False(inInbox.Seen);
        Assert.False(inInbox.Deleted);
        Assert.Empty(inInbox.Keywords);
        Assert.Contains(state, m => m.Subject == "Raw message" && m.Folder == "INBOX");
    }

    [Fact]
    public async Task AMessageSentBySmtpArrivesWithItsMessageIdAndHeadersIntact()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var reply = Message("Re: Card not arriving", "Your card is on its way.", from: mail.Address, to: "customer@customer.test");
        reply.InReplyTo = "original@customer.test";
        reply.References.Add("original@customer.test");
        reply.Headers.Add("X-SupportConsole-Ticket", "T-1234");

        using (var smtp = new SmtpClient { Timeout = (int)Limit.TotalMilliseconds })
        {
            await smtp.ConnectAsync(MailServers.Host, mail.SmtpPort, SecureSocketOptions.None, timeout.Token);
            await smtp.SendAsync(reply, timeout.Token);
            await smtp.DisconnectAsync(true, timeout.Token);
        }

        using var received = await mail.WaitForReceivedAsync(m => m.MessageId == reply.MessageId, Limit);
        Assert.Equal("Re: Card not arriving", received.Subject);
        Assert.Equal("original@customer.test", received.InReplyTo);
        Assert.Equal(["original@customer.test"], received.References);
        Assert.Equal("T-1234", received.Headers["X-SupportConsole-Ticket"]);
        Assert.Equal(mail.Address, received.From.Mailboxes.Single().Address);
        Assert.Equal("customer@customer.test", received.Headers["X-RcptTo"]);
        Assert.Equal("Your card is on its way.", received.TextBody?.Trim());
    }

    [Fact]
    public async Task StoppingTheImapServerRefusesConnectionsAndStartingItAgainServesTheSameMailOnTheSamePort()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var kept = Message("Kept through the outage", "Still here after the restart.");
        await mail.AppendAsync(kept, timeout.Token);
        using var connectedBefore = await mail.ConnectImapAsync(timeout.Token);
        await connectedBefore.Inbox.OpenAsync(FolderAccess.ReadOnly, timeout.Token);

        await mail.StopImapAsync();
        try
        {
            using (var refused = new ImapClient { Timeout = 5_000 })
            {
                await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(MailServers.Host, mail.ImapPort, SecureSocketOptions.None, timeout.Token));
            }

            // A session open when the server went away is cut (Dovecot says BYE), not left served by its imap process.
            await Assert.ThrowsAsync<ImapProtocolException>(() => connectedBefore.NoOpAsync(timeout.Token));
            Assert.False(connectedBefore.IsConnected);
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        }
        finally
        {
            await mail.StartImapAsync();
        }

        using var client = await mail.ConnectImapAsync(timeout.Token);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, timeout.Token);
        Assert.Single(await client.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", kept.MessageId!), timeout.Token));
        await client.DisconnectAsync(true, timeout.Token);
    }

    private static MimeMessage Message(string subject, string body, string from = "customer@customer.test", string? to = null)
    {
        var message = new MimeMessage
        {
            Subject = subject,
            MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test"),
            Body = new TextPart("plain") { Text = body },
        };
        message.From.Add(new MailboxAddress("A Customer", from));
        message.To.Add(MailboxAddress.Parse(to ?? "support@example.test"));
        return message;
    }
}
