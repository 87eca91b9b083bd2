using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Text;

namespace SupportConsole.Email;

/// <summary>
/// The text a router should read, with what <see cref="Stripped"/> says: whether quoted history, a signature or a
/// mobile footer was taken out of the customer's mail.
/// </summary>
public sealed record RoutedText(string Text, bool Stripped);

/// <summary>
/// The customer's words out of a mail: its text (<see cref="BodyOf"/>), and that text without the quoted history,
/// signature and footers the mail program added (<see cref="ForRouting"/>). Reads nothing but the message it is given.
/// </summary>
public static partial class EmailText
{
    /// <summary>Longer lines are the customer's text, not an attribution (names and dates fit well within this).</summary>
    private const int MaxAttributionLength = 300;

    /// <summary>
    /// The text of a mail: its first text/plain part that is not an attachment (format=flowed lines joined again), or when
    /// it has none (or only white space) its HTML part as plain text, or an empty string. Line endings are <c>\n</c>,
    /// trailing white space of every line is removed, and so are blank lines at the start and end.
    /// </summary>
    public static string BodyOf(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var plain = FindPart(message.Body, p => p.IsPlain);
        var text = plain is null ? null : PlainText(plain);
        if (string.IsNullOrWhiteSpace(text))
        {
            var html = FindPart(message.Body, p => p.IsHtml);
            text = html is null ? null : HtmlToText(html.Text ?? "");
        }

        return Normalise(text ?? "");
    }

    /// <summary>
    /// What the router should read of a mail's text: without quoted lines (starting with <c>&gt;</c>), without a reply's
    /// history (from an attribution line such as "On …, Alice &lt;a@b.c&gt; wrote:", "Le … a écrit :", "Am … schrieb …:",
    /// "-----Original Message-----", an Outlook "From: / Sent: / To: / Subject:" block or a line of underscores on),
    /// without the signature after a "-- " line and without footers like "Sent from my iPhone". An attribution line
    /// directly followed by quoted lines only removes itself and those lines, so answers written between the quotes stay.
    /// Runs of blank lines become one blank line. When nothing would be left (a mail that is all quote), the whole text is
    /// returned, with <see cref="RoutedText.Stripped"/> false.
    /// </summary>
    public static RoutedText ForRouting(string body)
    {
        var lines = Normalise(body ?? "").Split('\n');
        var kept = new List<string>(lines.Length);
        var stripped = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (QuotedLine().IsMatch(line))
            {
                stripped = true;
                continue;
            }

            var attribution = AttributionLength(lines, i);
            if (attribution > 0)
            {
                stripped = true;
                if (NextTextLineIsQuoted(lines, i + attribution))
                {
                    // The history is quoted line by line: skip the attribution and read on (an inline reply may follow).
                    i += attribution - 1;
                    continue;
                }

                break;
            }

            if (EndsTheCustomersText(lines, i))
            {
                stripped = true;
                break;
            }

            kept.Add(line);
        }

        var text = CollapseBlankLines(string.Join('\n', kept)).Trim();
        if (text.Length == 0)
        {
            return new RoutedText(CollapseBlankLines(string.Join('\n', lines)).Trim(), false);
        }

        return new RoutedText(text, stripped);
    }

    /// <summary>
    /// The first text part of <paramref name="entity"/> that is not an attachment and matches, depth first; of the parts
    /// of a multipart/alternative the last one (the one its sender prefers). Attached messages are not looked into.
    /// </summary>
    private static TextPart? FindPart(MimeEntity? entity, Func<TextPart, bool> matches)
    {
        switch (entity)
        {
            case MultipartAlternative alternative:
                for (var i = alternative.Count - 1; i >= 0; i--)
                {
                    if (FindPart(alternative[i], matches) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    if (FindPart(child, matches) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case TextPart part when !part.IsAttachment && matches(part):
                return part;
            default:
                return null;
        }
    }

    /// <summary>
    /// A text/plain part's text; format=flowed lines are joined (RFC 3676), except that a signature separator ("-- ")
    /// stays a line of its own, which MimeKit's converter would join with the next.
    /// </summary>
    private static string PlainText(TextPart part)
    {
        var text = part.Text ?? "";
        if (!part.IsFlowed)
        {
            return text;
        }

        var protectedText = FlowedSignatureSeparator().Replace(text.ReplaceLineEndings("\n"), "--");
        var converter = new FlowedToText
        {
            DeleteSpace = string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase),
        };
        return converter.Convert(protectedText);
    }

    /// <summary>
    /// HTML as plain text: the text of the body, white space collapsed as a browser does (but kept in <c>pre</c>), entities
    /// decoded, line breaks for <c>br</c> and block elements (<c>p</c>, <c>div</c>, <c>li</c>, <c>tr</c>, headings, …), a
    /// blank line around paragraphs, and <c>blockquote</c> content quoted with "&gt; " as a plain text client would.
    /// Nothing of <c>head</c>, <c>script</c>, <c>style</c> or <c>title</c> is kept.
    /// </summary>
    internal static string HtmlToText(string html)
    {
        var writer = new PlainTextWriter();
        var hidden = 0;
        var pre = 0;
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when IsHidden(tag.Id):
                    if (!tag.IsEmptyElement)
                    {
                        hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    }

                    break;
                case HtmlTagToken tag when hidden == 0:
                    Apply(writer, tag, ref pre);
                    break;
                case HtmlDataToken data when hidden == 0 && data.Kind == HtmlTokenKind.Data:
                    writer.Write(data.Data, pre > 0);
                    break;
            }
        }

        return writer.ToString();
    }

    private static bool IsHidden(HtmlTagId id) =>
        id is HtmlTagId.Head or HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Title or HtmlTagId.NoScript;

    private static void Apply(PlainTextWriter writer, HtmlTagToken tag, ref int pre)
    {
        switch (tag.Id)
        {
            case HtmlTagId.Br:
                writer.LineBreak();
                break;
            case HtmlTagId.P or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6
                or HtmlTagId.Table or HtmlTagId.UL or HtmlTagId.OL or HtmlTagId.DL:
                writer.Paragraph();
                break;
            case HtmlTagId.Pre:
                writer.Paragraph();
                pre = Math.Max(0, pre + (tag.IsEndTag ? -1 : 1));
                break;
            case HtmlTagId.BlockQuote:
                // The blank line around a quote is outside it.
                writer.EndLine();
                writer.Quote(tag.IsEndTag ? -1 : 0);
                writer.Paragraph();
                writer.Quote(tag.IsEndTag ? 0 : 1);
                break;
            case HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR or HtmlTagId.DT or HtmlTagId.DD or HtmlTagId.HR
                or HtmlTagId.Section or HtmlTagId.Article or HtmlTagId.Header or HtmlTagId.Footer or HtmlTagId.Address
                or HtmlTagId.Center or HtmlTagId.Caption:
                writer.EndLine();
                break;
            case HtmlTagId.TD or HtmlTagId.TH when !tag.IsEndTag:
                writer.Separate();
                break;
        }
    }

    /// <summary>Line endings as <c>\n</c>, no trailing white space on any line, no blank lines at the start or end.</summary>
    private static string Normalise(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].TrimEnd();
        }

        return string.Join('\n', lines).Trim('\n');
    }

    private static string CollapseBlankLines(string text) => BlankLines().Replace(text, "\n\n");

    /// <summary>How many lines (one or two: a client may wrap it) the attribution starting at line <paramref name="i"/> takes, or 0.</summary>
    private static int AttributionLength(string[] lines, int i)
    {
        var line = lines[i].Trim();
        if (line.Length > MaxAttributionLength)
        {
            return 0;
        }

        if (Attribution().IsMatch(line))
        {
            return 1;
        }

        if (i + 1 < lines.Length && AttributionStart().IsMatch(line) && lines[i + 1].Trim().Length > 0
            && line.Length + lines[i + 1].Length <= MaxAttributionLength && Attribution().IsMatch(line + " " + lines[i + 1].Trim()))
        {
            return 2;
        }

        return 0;
    }

    private static bool NextTextLineIsQuoted(string[] lines, int from)
    {
        for (var i = from; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length > 0)
            {
                return QuotedLine().IsMatch(lines[i]);
            }
        }

        return false;
    }

    /// <summary>Whether line <paramref name="i"/> starts what follows the customer's own text: history, signature or footer.</summary>
    private static bool EndsTheCustomersText(string[] lines, int i)
    {
        var line = lines[i].Trim();
        if (SignatureSeparator().IsMatch(lines[i]) || OriginalMessage().IsMatch(line) || Underscores().IsMatch(line)
            || MobileFooter().IsMatch(line))
        {
            return true;
        }

        if (!HeaderFrom().IsMatch(line))
        {
            return false;
        }

        // An Outlook header block: From, then Sent (or Date) and Subject within the next few lines.
        var sent = false;
        var subject = false;
        for (var j = i + 1; j < Math.Min(lines.Length, i + 7); j++)
        {
            var next = lines[j].Trim();
            sent |= HeaderSent().IsMatch(next);
            subject |= HeaderSubject().IsMatch(next);
        }

        return sent && subject;
    }

    /// <summary>Collects text line by line for <see cref="HtmlToText"/>, each line quoted as deep as it started.</summary>
    private sealed class PlainTextWriter
    {
        private readonly List<string> _lines = [];
        private readonly StringBuilder _line = new();
        private int _quoteDepth;
        private int _lineQuoteDepth;
        private bool _pendingSpace;

        /// <summary>Text of the document; outside <c>pre</c>, white space runs are one space and none starts a line.</summary>
        public void Write(string data, bool preformatted)
        {
            if (preformatted)
            {
                var parts = data.ReplaceLineEndings("\n").Split('\n');
                for (var i = 0; i < parts.Length; i++)
                {
                    if (i > 0)
                    {
                        LineBreak();
                    }

                    Append(parts[i].Replace('\u00A0', ' '));
                }

                return;
            }

            foreach (var c in data)
            {
                if (char.IsWhiteSpace(c))
                {
                    _pendingSpace = _line.Length > 0;
                    continue;
                }

                if (_pendingSpace)
                {
                    _line.Append(' ');
                    _pendingSpace = false;
                }

                Append(c.ToString());
            }
        }

        /// <summary>Ends the current line (a <c>br</c>); on an empty line, leaves a blank line.</summary>
        public void LineBreak()
        {
            if (_line.Length == 0)
            {
                _lineQuoteDepth = _quoteDepth;
            }

            _lines.Add((string.Concat(Enumerable.Repeat("> ", _lineQuoteDepth)) + _line).TrimEnd());
            _line.Clear();
            _pendingSpace = false;
        }

        /// <summary>Ends the current line if anything is on it (the edge of a block element).</summary>
        public void EndLine()
        {
            if (_line.Length > 0)
            {
                LineBreak();
            }
        }

        /// <summary>Ends the current line and leaves a blank line before what follows.</summary>
        public void Paragraph()
        {
            EndLine();
            if (_lines.Count > 0 && _lines[^1].Trim('>', ' ').Length > 0)
            {
                LineBreak();
            }
        }

        /// <summary>One space between the cells of a table row.</summary>
        public void Separate() => _pendingSpace = _line.Length > 0;

        /// <summary>Goes into (1) or out of (-1) a <c>blockquote</c>.</summary>
        public void Quote(int change) => _quoteDepth = Math.Max(0, _quoteDepth + change);

        public override string ToString()
        {
            EndLine();
            return string.Join('\n', _lines);
        }

        private void Append(string value)
        {
            if (_line.Length == 0)
            {
                _lineQuoteDepth = _quoteDepth;
            }

            _line.Append(value);
        }
    }

    [GeneratedRegex(@"^\s*>")]
    private static partial Regex QuotedLine();

    [GeneratedRegex(@"\n(?:[ \t]*\n){2,}")]
    private static partial Regex BlankLines();

    /// <summary>A flowed signature separator ("-- " alone on its line).</summary>
    [GeneratedRegex(@"(?m)^-- (?=\n|\z)")]
    private static partial Regex FlowedSignatureSeparator();

    /// <summary>The signature separator, "-- " (its space lost when trailing white space was trimmed).</summary>
    [GeneratedRegex(@"^--[ \t]?\z")]
    private static partial Regex SignatureSeparator();

    /// <summary>
    /// An attribution line as English, French and German mail programs write it: it names a date (so it has a digit) and
    /// ends with "wrote:", "a écrit :" or "schrieb …:".
    /// </summary>
    [GeneratedRegex(@"^(?:On\s.*\d.*\swrote\s?:|Le\s.*\d.*\sa\s+écrit\s*:|Am\s.*\d.*\sschrieb(?:\s.*)?:)\z", RegexOptions.IgnoreCase)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^(?:On|Le|Am)\s", RegexOptions.IgnoreCase)]
    private static partial Regex AttributionStart();

    [GeneratedRegex(@"^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}\z", RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();

    [GeneratedRegex(@"^_{16,}\z")]
    private static partial Regex Underscores();

    /// <summary>What phones and mail apps put under a mail: "Sent from my iPhone", "Get Outlook for Android", and the like.</summary>
    [GeneratedRegex("""
        ^(?:Sent\ from\ my\ (?:iPhone|iPad|Android|Samsung|Galaxy|Huawei|Pixel|BlackBerry|Windows\ Phone|mobile|smartphone|phone)\b[\w\ .,-]{0,40}
          | Sent\ from\ (?:Mail|Outlook|Yahoo\ Mail)(?:\ (?:for|on)\ [\w\ ]{1,30})?
          | Get\ Outlook\ for\ (?:iOS|Android)
          | Envoyé\ de\ mon\ (?:iPhone|iPad|Android|Samsung|smartphone|mobile)\b[\w\ .,-]{0,40}
          | Von\ meinem\ (?:iPhone|iPad|Android|Samsung|Smartphone|Handy)\b[\w\ .,-]{0,40}\ gesendet
        )\.?\z
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex MobileFooter();

    [GeneratedRegex(@"^\*?(?:From|Von|De)\s?:\*?\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\*?(?:Sent|Date|Gesendet|Datum|Envoyé)\s?:\*?\s*\S", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderSent();

    [GeneratedRegex(@"^\*?(?:Subject|Betreff|Objet)\s?:", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderSubject();
}
