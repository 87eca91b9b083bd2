using System.Text;
using MimeKit;
using SupportConsole.Email;

namespace SupportConsole.Tests.Email;

public sealed class AutomaticMailTests
{
    private static readonly string[] Own = ["support@bank.test", "Help@Bank.Test"];

    [Fact]
    public void APersonsMailHasNoReason()
    {
        var message = Parse("""
            From: Alice Smith <alice@example.com>
            To: support@bank.test
            Subject: My card
            Message-ID: <a1@example.com>
            Auto-Submitted: no
            X-Auto-Response-Suppress: DR, RN, NRN
            Precedence: normal
            Return-Path: <alice@example.com>

            My card does not work.
            """);

        Assert.Null(AutomaticMail.Reason(message, Own));
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied", "It was sent automatically (Auto-Submitted: auto-replied).")]
    [InlineData("Auto-Submitted: auto-generated; owner-email=\"it@example.com\"", "It was sent automatically (Auto-Submitted: auto-generated).")]
    [InlineData("Precedence: bulk", "It is bulk mail (Precedence: bulk).")]
    [InlineData("Precedence: List", "It is bulk mail (Precedence: list).")]
    [InlineData("Precedence: junk", "It is bulk mail (Precedence: junk).")]
    [InlineData("List-Id: Example announcements <announce.example.com>", "It comes from a mailing list (List-Id).")]
    [InlineData("List-Unsubscribe: <mailto:unsubscribe@example.com>", "It comes from a mailing list (List-Unsubscribe).")]
    [InlineData("X-Autoreply: yes", "It is an automatic reply (X-Autoreply).")]
    [InlineData("X-Autorespond: vacation", "It is an automatic reply (X-Autorespond).")]
    [InlineData("X-Auto-Response-Suppress: All", "Its sender asked for no automatic replies (X-Auto-Response-Suppress: All).")]
    [InlineData("X-Auto-Response-Suppress: DR, OOF, AutoReply", "Its sender asked for no automatic replies (X-Auto-Response-Suppress: OOF).")]
    [InlineData("Return-Path: <>", "It has an empty return path (<>), as bounces and other automatic mail do.")]
    public void AutomaticHeadersGiveTheirReason(string header, string reason)
    {
        var message = Parse($"""
            From: Alice Smith <alice@example.com>
            To: support@bank.test
            Subject: Out of office
            {header}

            I am away until Monday.
            """);

        Assert.Equal(reason, AutomaticMail.Reason(message, Own));
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.example.com")]
    [InlineData("postmaster@example.com")]
    [InlineData("no-reply@shop.example")]
    [InlineData("NoReply@shop.example")]
    [InlineData("do-not-reply@shop.example")]
    public void MailFromAnAddressThatTakesNoRepliesHasAReason(string from)
    {
        var message = Parse($"""
            From: Someone <{from}>
            To: support@bank.test
            Subject: Your order

            Your order has shipped.
            """);

        Assert.Equal($"It comes from an address that takes no replies ({from.ToLowerInvariant()}).", AutomaticMail.Reason(message, Own));
    }

    [Fact]
    public void AnAddressThatOnlyContainsNoReplyIsAPerson()
    {
        var message = Parse("""
            From: Ann Noreply <ann.noreply@example.com>
            To: support@bank.test
            Subject: Question

            Hello.
            """);

        Assert.Null(AutomaticMail.Reason(message, Own));
    }

    [Fact]
    public void MailFromTheMailboxItselfIsALoop()
    {
        var message = Parse("""
            From: Bank Help <help@bank.test>
            To: support@bank.test
            Subject: Re: Your ticket

            We have answered.
            """);

        Assert.Equal("It comes from this mailbox's own address (help@bank.test), so a reply would loop.", AutomaticMail.Reason(message, Own));
    }

    [Fact]
    public void AReplyToTheMailboxItselfIsALoop()
    {
        var message = Parse("""
            From: Alice <alice@example.com>
            Reply-To: SUPPORT@bank.test
            To: support@bank.test
            Subject: Forwarded

            See below.
            """);

        Assert.Equal("It comes from this mailbox's own address (support@bank.test), so a reply would loop.", AutomaticMail.Reason(message, Own));
    }

    [Fact]
    public void ADeliveryReportHasAReason()
    {
        var report = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Delivery failed." } };
        var message = new MimeMessage { Subject = "Delivery Status Notification", Body = report };
        message.From.Add(new MailboxAddress("Mail System", "mailsys@mx.example.com"));

        Assert.Equal("It is a delivery status report (multipart/report).", AutomaticMail.Reason(message, Own));
    }

    [Fact]
    public void TheSenderAddressIsASingleReplyToOrElseTheFirstFrom()
    {
        var replyTo = Parse("From: Alice <Alice@Example.com>\nReply-To: Billing <Billing@Example.com>\n\nHi");
        var twoReplyTo = Parse("From: Alice <Alice@Example.com>, Bob <bob@example.com>\nReply-To: a@example.com, b@example.com\n\nHi");
        var invalidReplyTo = Parse("From: Alice <alice@example.com>\nReply-To: undisclosed-recipients:;\n\nHi");

        Assert.Equal("billing@example.com", AutomaticMail.SenderAddress(replyTo));
        Assert.Equal("alice@example.com", AutomaticMail.SenderAddress(twoReplyTo));
        Assert.Equal("alice@example.com", AutomaticMail.SenderAddress(invalidReplyTo));
    }

    [Theory]
    [InlineData("From: Alice\n\nHi")]
    [InlineData("From: Alice <alice>\n\nHi")]
    [InlineData("To: support@bank.test\n\nHi")]
    public void NoValidSenderAddressIsNull(string raw)
    {
        Assert.Null(AutomaticMail.SenderAddress(Parse(raw)));
    }

    private static MimeMessage Parse(string raw) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n") + "\r\n")));
}
