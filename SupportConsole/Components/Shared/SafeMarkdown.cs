using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SupportConsole.Components.Shared;

/// <summary>
/// Markdown as the console renders it, wherever it does: raw HTML is not rendered, and links and images keep only http,
/// https, mailto and relative targets. Anything else (<c>javascript:</c>, <c>data:</c>, <c>vbscript:</c>, however
/// spelled or escaped) is shown as its text, without a link.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    private static readonly string[] AllowedSchemes = ["http", "https", "mailto"];

    public static string ToHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? string.Empty, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(l => !IsSafe(l.Url)).ToList())
        {
            Unlink(link);
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().Where(a => !a.IsEmail && !IsSafe(a.Url)).ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>True for a relative target or one with an allowed scheme, judged as a browser reads it (it drops tabs, line breaks and leading spaces).</summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        var cleaned = new string([.. url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c))]);
        var colon = cleaned.IndexOf(':');
        var end = cleaned.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (end >= 0 && end < colon))
        {
            return true;
        }

        return AllowedSchemes.Contains(cleaned[..colon], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A link becomes its text; an image, its alternative text.</summary>
    private static void Unlink(LinkInline link)
    {
        Inline anchor = link;
        foreach (var child in link.ToList())
        {
            child.Remove();
            anchor.InsertAfter(child);
            anchor = child;
        }

        link.Remove();
    }
}
