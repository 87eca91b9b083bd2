using System.Text;
using MimeKit;
using SupportConsole.Email;

namespace SupportConsole.Tests.Email;

public sealed class EmailTextTests
{
    [Fact]
    public void ThePlainTextPartIsTheBodyWithUnixLineEndingsAndNoTrailingWhiteSpace()
    {
        var message = Message(new BodyBuilder
        {
            TextBody = "Hello,  \r\n\r\nmy card was declined twice today.\t\r\nThanks\r\n\r\n\r\n",
            HtmlBody = "<p>Something else entirely</p>",
        });

        Assert.Equal("Hello,\n\nmy card was declined twice today.\nThanks", EmailText.BodyOf(message));
    }

    [Fact]
    public void FlowedLinesAreJoinedAndTheSignatureSeparatorStaysALine()
    {
        var part = new TextPart("plain") { Text = "I ordered a new card last week but it has \r\nnot arrived yet.\r\n\r\n-- \r\nAlice Smith\r\n" };
        part.ContentType.Format = "flowed";
        var message = new MimeMessage { Body = part };

        var body = EmailText.BodyOf(message);

        Assert.Equal("I ordered a new card last week but it has not arrived yet.\n\n--\nAlice Smith", body);
        Assert.Equal(new RoutedText("I ordered a new card last week but it has not arrived yet.", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void FlowedWithDelSpDropsTheSpaceBeforeTheSoftBreak()
    {
        var part = new TextPart("plain") { Text = "Where is my trans \r\nfer?\r\n" };
        part.ContentType.Format = "flowed";
        part.ContentType.Parameters.Add("delsp", "yes");

        Assert.Equal("Where is my transfer?", EmailText.BodyOf(new MimeMessage { Body = part }));
    }

    [Fact]
    public void HtmlOnlyMailBecomesPlainText()
    {
        var message = Message(new BodyBuilder
        {
            HtmlBody = """
                <!DOCTYPE html>
                <html><head><title>Ignored title</title><style>p { color: red; }</style>
                <script>var x = 1 < 2;</script></head>
                <body>
                <p>Hi   there,</p>
                <p>my card &amp; PIN don&#39;t work&nbsp;at the ATM.<br>Caf&eacute; too.</p>
                <ul><li>first try</li><li>second   try</li></ul>
                <table><tr><td>Amount</td><td>20 EUR</td></tr><tr><td>Date</td><td>3 Dec</td></tr></table>
                <div>Thanks,</div><div>Alice</div>
                </body></html>
                """,
        });

        Assert.Equal(
            "Hi there,\n\nmy card & PIN don't work at the ATM.\nCafé too.\n\nfirst try\nsecond try\n\nAmount 20 EUR\nDate 3 Dec\n\nThanks,\nAlice",
            EmailText.BodyOf(message));
    }

    [Fact]
    public void AnEmptyTextPartFallsBackToTheHtmlPart()
    {
        var message = Message(new BodyBuilder { TextBody = " \r\n", HtmlBody = "<div>Please close my account.</div>" });

        Assert.Equal("Please close my account.", EmailText.BodyOf(message));
    }

    [Fact]
    public void AMailWithoutTextIsEmpty()
    {
        var builder = new BodyBuilder();
        builder.Attachments.Add("statement.pdf", Encoding.ASCII.GetBytes("%PDF-1.4"), new ContentType("application", "pdf"));

        Assert.Equal("", EmailText.BodyOf(Message(builder)));
    }

    [Fact]
    public void ATextAttachmentIsNotTheBody()
    {
        var builder = new BodyBuilder { HtmlBody = "<p>See the log attached.</p>" };
        builder.Attachments.Add("log.txt", Encoding.ASCII.GetBytes("ERROR 42"), new ContentType("text", "plain"));

        Assert.Equal("See the log attached.", EmailText.BodyOf(Message(builder)));
    }

    [Fact]
    public void AGmailHtmlReplyLosesItsQuotedHistory()
    {
        var message = Message(new BodyBuilder
        {
            HtmlBody = """
                <div dir="ltr">Hi,<div><br></div><div>the transfer still has not arrived.</div></div><br>
                <div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 3 Dec 2026 at 10:00, Support &lt;<a href="mailto:support@bank.test">support@bank.test</a>&gt; wrote:<br></div>
                <blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex"><div dir="ltr">Transfers take up to three days.<div>Regards</div></div></blockquote></div>
                """,
        });

        var body = EmailText.BodyOf(message);

        Assert.Equal(
            "Hi,\n\nthe transfer still has not arrived.\n\nOn Tue, 3 Dec 2026 at 10:00, Support <support@bank.test> wrote:\n\n> Transfers take up to three days.\n> Regards",
            body);
        Assert.Equal(new RoutedText("Hi,\n\nthe transfer still has not arrived.", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void GmailPlainTextQuotingWithAWrappedAttributionIsStripped()
    {
        const string body = """
            Thanks, but the refund is still missing.

            On Tue, 3 Dec 2026 at 10:00, Customer Support Team of Example Bank <
            support@bank.test> wrote:

            > Hello Alice,
            >
            > your refund was sent on Monday.
            """;

        Assert.Equal(new RoutedText("Thanks, but the refund is still missing.", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void AnInlineReplyKeepsTheAnswersBetweenTheQuotes()
    {
        const string body = """
            On Tue, 3 Dec 2026 at 10:00, Support <support@bank.test> wrote:
            > Which card is it?

            The debit card ending 1234.

            > When did it last work?

            Yesterday morning.
            """;

        Assert.Equal(new RoutedText("The debit card ending 1234.\n\nYesterday morning.", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void OutlookHeaderBlockAndEverythingAfterItIsStripped()
    {
        const string body = """
            Please cancel the direct debit.

            Kind regards
            Bob

            From: Support <support@bank.test>
            Sent: Tuesday, December 3, 2026 10:00 AM
            To: Bob <bob@example.com>
            Subject: RE: Direct debit

            We have received your request.
            """;

        Assert.Equal(new RoutedText("Please cancel the direct debit.\n\nKind regards\nBob", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void OutlookSeparatorAndOriginalMessageLinesEndTheText()
    {
        const string separated = "Still waiting.\n\n________________________________\nFrom: Support\nWe are on it.";
        const string original = "Any news?\r\n\r\n-----Original Message-----\r\nFrom: Support [mailto:support@bank.test]\r\nWe are on it.";

        Assert.Equal(new RoutedText("Still waiting.", true), EmailText.ForRouting(separated));
        Assert.Equal(new RoutedText("Any news?", true), EmailText.ForRouting(original));
    }

    [Fact]
    public void AppleMailQuotingAndTheIphoneFooterAreStripped()
    {
        const string body = """
            I can't log in to the app since the update.

            Sent from my iPhone

            > On 3 Dec 2026, at 10:00, Support <support@bank.test> wrote:
            >
            > Have you tried reinstalling it?
            """;

        Assert.Equal(new RoutedText("I can't log in to the app since the update.", true), EmailText.ForRouting(body));
    }

    [Theory]
    [InlineData("Get Outlook for Android")]
    [InlineData("Sent from my Android")]
    [InlineData("Envoyé de mon iPhone")]
    [InlineData("Von meinem iPhone gesendet")]
    public void MobileFootersAreStripped(string footer)
    {
        Assert.Equal(new RoutedText("My PIN is blocked.", true), EmailText.ForRouting($"My PIN is blocked.\n\n{footer}"));
    }

    [Fact]
    public void AFrenchAttributionEndsTheText()
    {
        const string body = "Ma carte ne fonctionne plus.\n\nLe mar. 3 déc. 2026 à 10:00, Support <support@bank.test> a écrit\u00A0:\nBonjour, pouvez-vous préciser ?";

        Assert.Equal(new RoutedText("Ma carte ne fonctionne plus.", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void AGermanAttributionEndsTheText()
    {
        const string body = """
            Meine Überweisung ist nicht angekommen.

            Am Di., 3. Dez. 2026 um 10:00 Uhr schrieb Support <support@bank.test>:
            > Guten Tag, wann haben Sie überwiesen?
            """;

        Assert.Equal(new RoutedText("Meine Überweisung ist nicht angekommen.", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void TheSignatureAfterTheDelimiterIsStripped()
    {
        const string body = "Why was I charged twice?\n\n-- \nAlice Smith\nHead of Purchasing, Example Ltd\n+44 20 7946 0000";

        Assert.Equal(new RoutedText("Why was I charged twice?", true), EmailText.ForRouting(body));
    }

    [Fact]
    public void AMessageThatIsAllQuoteIsKeptWhole()
    {
        const string body = "\n> On Tue, 3 Dec 2026 at 10:00, Support <support@bank.test> wrote:\n> Your card is on its way.\n";

        Assert.Equal(
            new RoutedText("> On Tue, 3 Dec 2026 at 10:00, Support <support@bank.test> wrote:\n> Your card is on its way.", false),
            EmailText.ForRouting(body));
    }

    [Fact]
    public void AMessageThatStartsWithItsAttributionIsKeptWhole()
    {
        const string body = "On Tue, 3 Dec 2026 at 10:00, Support <support@bank.test> wrote:\nYour card is on its way.";

        Assert.Equal(new RoutedText(body, false), EmailText.ForRouting(body));
    }

    [Fact]
    public void PlainTextIsLeftAloneButForBlankLineRuns()
    {
        const string body = "  My card was stolen.\r\n\r\n\r\n\r\nOn Monday I wrote to you about it, 3 times.\r\nPlease block it.  ";

        Assert.Equal(
            new RoutedText("My card was stolen.\n\nOn Monday I wrote to you about it, 3 times.\nPlease block it.", false),
            EmailText.ForRouting(body));
    }

    [Fact]
    public void EmptyTextStaysEmpty()
    {
        Assert.Equal(new RoutedText("", false), EmailText.ForRouting(""));
        Assert.Equal(new RoutedText("", false), EmailText.ForRouting(" \n\n "));
    }

    private static MimeMessage Message(BodyBuilder builder)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice Smith", "alice@example.com"));
        message.To.Add(new MailboxAddress("Support", "support@bank.test"));
        message.Subject = "Card";
        message.Body = builder.ToMessageBody();
        return Roundtrip(message);
    }

    /// <summary>The message as a mail server would hand it over: written out and parsed again.</summary>
    private static MimeMessage Roundtrip(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }
}
