using System.Text;
using MimeKit;
using SupportConsole.Email;

namespace SupportConsole.Tests.Email;

public sealed class BounceReportTests
{
    /// <summary>A bounce as Postfix writes it: notice, delivery status, and the returned message's headers.</summary>
    private const string PostfixBounce = """
        Return-Path: <>
        From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
        To: support@bank.test
        Subject: Undelivered Mail Returned to Sender
        Message-Id: <20261203100501.A1B2C3@mail.example.net>
        Date: Tue,  3 Dec 2026 10:05:01 +0000 (UTC)
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="A1B2C3.1733220301/mail.example.net"

        This is a MIME-encapsulated message.

        --A1B2C3.1733220301/mail.example.net
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.example.net.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        <bob@example.com>: host mx.example.com[203.0.113.25] said: 550 5.1.1
            <bob@example.com>: Recipient address rejected: User unknown in local
            recipient table (in reply to RCPT TO command)

        --A1B2C3.1733220301/mail.example.net
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.net
        X-Postfix-Queue-ID: A1B2C3
        X-Postfix-Sender: rfc822; support@bank.test
        Arrival-Date: Tue,  3 Dec 2026 10:05:00 +0000 (UTC)

        Final-Recipient: rfc822; bob@example.com
        Original-Recipient: rfc822;Bob@Example.com
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address rejected:
            User unknown in local recipient table

        --A1B2C3.1733220301/mail.example.net
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Return-Path: <support@bank.test>
        Message-ID: <reply-42@bank.test>
        In-Reply-To: <customer-1@example.com>
        From: Bank Support <support@bank.test>
        To: bob@example.com
        Subject: Re: My card

        --A1B2C3.1733220301/mail.example.net--
        """;

    [Fact]
    public void APostfixBounceNamesTheOriginalTheStatusTheRecipientAndTheDiagnostic()
    {
        var bounce = BounceReport.TryRead(Parse(PostfixBounce));

        Assert.NotNull(bounce);
        Assert.Equal(["reply-42@bank.test"], bounce.OriginalMessageIds);
        Assert.Equal("5.1.1", bounce.Status);
        Assert.Equal("bob@example.com", bounce.Recipient);
        Assert.Equal("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local recipient table", bounce.Diagnostic);
    }

    [Fact]
    public void ADelayedRecipientIsReadWithTheOriginalAndTheBouncesOwnReferences()
    {
        var original = new MimeMessage { MessageId = "reply-7@bank.test", Subject = "Re: Refund" };
        original.From.Add(new MailboxAddress("Bank Support", "support@bank.test"));
        original.To.Add(new MailboxAddress("Carol", "carol@example.org"));
        original.Body = new TextPart("plain") { Text = "Your refund is on its way." };

        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(Fields(("Reporting-MTA", "dns; mx.bank.test")));
        status.StatusGroups.Add(Fields(("Final-Recipient", "rfc822; dave@example.org"), ("Action", "delivered"), ("Status", "2.0.0")));
        status.StatusGroups.Add(Fields(
            ("Final-Recipient", "rfc822; Carol@Example.org"),
            ("Action", "delayed"),
            ("Status", "4.4.1 (persistent transient failure)"),
            ("Diagnostic-Code", "smtp; 421 4.4.1 Connection timed out"),
            ("Will-Retry-Until", "Thu, 5 Dec 2026 10:00:00 +0000")));
        var bounceMessage = new MimeMessage
        {
            Subject = "Delayed Mail (still being retried)",
            InReplyTo = "reply-7@bank.test",
            Body = new MultipartReport("delivery-status")
            {
                new TextPart("plain") { Text = "Your message has not been delivered yet. We will keep trying." },
                status,
                new MessagePart { Message = original },
            },
        };
        bounceMessage.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.bank.test"));
        bounceMessage.References.Add("ticket-1@bank.test");
        bounceMessage.References.Add("reply-7@bank.test");

        var bounce = BounceReport.TryRead(Roundtrip(bounceMessage));

        Assert.NotNull(bounce);
        Assert.Equal(["reply-7@bank.test", "ticket-1@bank.test"], bounce.OriginalMessageIds);
        Assert.Equal("4.4.1", bounce.Status);
        Assert.Equal("carol@example.org", bounce.Recipient);
        Assert.Equal("421 4.4.1 Connection timed out", bounce.Diagnostic);
    }

    [Fact]
    public void AFailedRecipientWinsOverADelayedOne()
    {
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(Fields(("Reporting-MTA", "dns; mx.bank.test")));
        status.StatusGroups.Add(Fields(("Final-Recipient", "rfc822; late@example.org"), ("Action", "delayed"), ("Status", "4.4.7")));
        status.StatusGroups.Add(Fields(("Final-Recipient", "rfc822; gone@example.org"), ("Action", "failed"), ("Status", "5.2.1")));
        var message = new MimeMessage { Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Failed." }, status } };

        var bounce = BounceReport.TryRead(Roundtrip(message));

        Assert.NotNull(bounce);
        Assert.Empty(bounce.OriginalMessageIds);
        Assert.Equal(("5.2.1", "gone@example.org", (string?)null), (bounce.Status, bounce.Recipient, bounce.Diagnostic));
    }

    [Fact]
    public void ASuccessfulDeliveryReportIsNotABounce()
    {
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(Fields(("Reporting-MTA", "dns; mx.example.org")));
        status.StatusGroups.Add(Fields(("Final-Recipient", "rfc822; carol@example.org"), ("Action", "delivered"), ("Status", "2.0.0")));
        var message = new MimeMessage { Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Delivered." }, status } };
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.example.org"));

        Assert.Null(BounceReport.TryRead(Roundtrip(message)));
    }

    [Fact]
    public void AReadReceiptIsNotABounce()
    {
        var notification = new MimePart("message", "disposition-notification")
        {
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes("Final-Recipient: rfc822; carol@example.org\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n"))),
        };
        var message = new MimeMessage
        {
            Subject = "Read: Re: Refund",
            InReplyTo = "reply-7@bank.test",
            Body = new MultipartReport("disposition-notification") { new TextPart("plain") { Text = "Your message was read." }, notification },
        };
        message.From.Add(new MailboxAddress("Carol", "carol@example.org"));

        Assert.Null(BounceReport.TryRead(Roundtrip(message)));
    }

    [Fact]
    public void AQmailBounceIsReadFromItsText()
    {
        var message = Parse("""
            Return-Path: <>
            From: MAILER-DAEMON@mail.example.net
            To: support@bank.test
            Subject: failure notice
            Message-ID: <1733220301.qmail@mail.example.net>

            Hi. This is the qmail-send program at mail.example.net.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.

            <Erin@Example.com>:
            203.0.113.7 does not like recipient.
            Remote host said: 550 5.1.1 <erin@example.com>: Recipient address rejected: User unknown
            Giving up on 203.0.113.7.

            --- Below this line is a copy of the message.

            Return-Path: <support@bank.test>
            Received: (qmail 4242 invoked by uid 89); 3 Dec 2026 10:05:00 -0000
            Message-ID: <reply-9@bank.test>
            From: Bank Support <support@bank.test>
            To: erin@example.com
            Subject: Re: Statement

            Your statement is attached.
            """);

        var bounce = BounceReport.TryRead(message);

        Assert.NotNull(bounce);
        Assert.Equal(["reply-9@bank.test"], bounce.OriginalMessageIds);
        Assert.Equal("5.1.1", bounce.Status);
        Assert.Equal("erin@example.com", bounce.Recipient);
        Assert.Equal("550 5.1.1 <erin@example.com>: Recipient address rejected: User unknown", bounce.Diagnostic);
    }

    [Fact]
    public void APostmasterMailWithTheOriginalAttachedIsABounce()
    {
        var original = new MimeMessage { MessageId = "reply-11@bank.test", Subject = "Re: Loan", References = { "ticket-3@bank.test" } };
        original.From.Add(new MailboxAddress("Bank Support", "support@bank.test"));
        original.Body = new TextPart("plain") { Text = "Here is your offer." };
        var message = new MimeMessage
        {
            Subject = "Undeliverable: Re: Loan",
            Body = new Multipart("mixed")
            {
                new TextPart("plain") { Text = "Delivery has failed to these recipients or groups:\r\n\r\nfrank@example.com\r\nThe mailbox is full.\r\n" },
                new MessagePart { Message = original },
            },
        };
        message.From.Add(new MailboxAddress("Postmaster", "postmaster@example.com"));
        message.References.Add("ticket-3@bank.test");

        var bounce = BounceReport.TryRead(Roundtrip(message));

        Assert.NotNull(bounce);
        Assert.Equal(["reply-11@bank.test", "ticket-3@bank.test"], bounce.OriginalMessageIds);
        Assert.Null(bounce.Status);
        Assert.Null(bounce.Recipient);
        Assert.Null(bounce.Diagnostic);
    }

    [Fact]
    public void AMailerDaemonNoticeWithoutTheOriginalIsNotABounce()
    {
        var message = Parse("""
            From: MAILER-DAEMON@mail.example.net
            To: support@bank.test
            Subject: Mailbox quota warning

            Your mailbox is 90% full.
            """);

        Assert.Null(BounceReport.TryRead(message));
    }

    [Fact]
    public void APersonForwardingAMessageIsNotABounce()
    {
        var forwarded = new MimeMessage { MessageId = "reply-12@bank.test", Subject = "Re: Card", Body = new TextPart("plain") { Text = "Your card is blocked." } };
        var message = new MimeMessage
        {
            Subject = "Fwd: Re: Card",
            Body = new Multipart("mixed") { new TextPart("plain") { Text = "Why was it blocked? See below." }, new MessagePart { Message = forwarded } },
        };
        message.From.Add(new MailboxAddress("Alice", "alice@example.com"));

        Assert.Null(BounceReport.TryRead(Roundtrip(message)));
    }

    private static HeaderList Fields(params (string Field, string Value)[] fields)
    {
        var list = new HeaderList();
        foreach (var (field, value) in fields)
        {
            list.Add(field, value);
        }

        return list;
    }

    private static MimeMessage Parse(string raw) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n") + "\r\n")));

    /// <summary>The message as a mail server would hand it over: written out and parsed again.</summary>
    private static MimeMessage Roundtrip(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }
}
