namespace SupportConsole.Engine.Retrieval;

/// <summary>A help-center article: title, the intents it answers, and its H2 sections.</summary>
public sealed record KbArticle(string Id, string Title, IReadOnlyList<string> Intents, IReadOnlyList<KbSection> Sections);

/// <summary>One H2 section of an article.</summary>
public sealed record KbSection(string ArticleId, string Title, string Body, int Order);

/// <summary>An article file the knowledge base cannot use; the message names the article and the problem.</summary>
public sealed class KbFormatException(string message) : Exception(message);

/// <summary>
/// Parses the help-center Markdown layout (docs/tenant-format.md): <c># Title</c>, an <c>Intents:</c> line,
/// optional introduction, then <c>## Section</c> headings with their bodies.
/// </summary>
public static class KbMarkdown
{
    public static KbArticle Parse(string articleId, string markdown)
    {
        if (string.IsNullOrWhiteSpace(articleId) || articleId.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new KbFormatException($"article id '{articleId}' must be lower-case letters, digits and dashes");
        }

        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        string? title = null;
        var intents = new List<string>();
        var sections = new List<KbSection>();
        string? sectionTitle = null;
        var body = new List<string>();

        void CloseSection()
        {
            if (sectionTitle is null)
            {
                return;
            }

            var text = string.Join("\n", body).Trim();
            if (text.Length == 0)
            {
                throw new KbFormatException($"article {articleId}: section \"{sectionTitle}\" has no text");
            }

            if (sections.Any(s => s.Title == sectionTitle))
            {
                throw new KbFormatException($"article {articleId}: section \"{sectionTitle}\" appears twice");
            }

            sections.Add(new KbSection(articleId, sectionTitle, text, sections.Count));
            body.Clear();
        }

        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (title is null)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (!line.StartsWith("# ", StringComparison.Ordinal))
                {
                    throw new KbFormatException($"article {articleId}: the first line must be the title ('# ...')");
                }

                title = line[2..].Trim();
                continue;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                CloseSection();
                sectionTitle = line[3..].Trim();
                if (sectionTitle.Length == 0)
                {
                    throw new KbFormatException($"article {articleId}: empty section heading");
                }

                continue;
            }

            if (sectionTitle is null && line.StartsWith("Intents:", StringComparison.OrdinalIgnoreCase))
            {
                intents.AddRange(line["Intents:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                continue;
            }

            if (sectionTitle is not null)
            {
                body.Add(line);
            }
        }

        CloseSection();
        if (title is null or "")
        {
            throw new KbFormatException($"article {articleId}: no title");
        }

        if (sections.Count == 0)
        {
            throw new KbFormatException($"article {articleId}: no '## ' sections");
        }

        return new KbArticle(articleId, title, intents, sections);
    }

    /// <summary>Every <c>*.md</c> file of a folder, the file name (without extension) being the article id.</summary>
    public static IReadOnlyList<KbArticle> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new KbFormatException($"{directory}: knowledge-base folder not found");
        }

        return [.. Directory.GetFiles(directory, "*.md").Order(StringComparer.Ordinal)
            .Select(path => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path)))];
    }
}
