namespace SupportConsole.Engine.Retrieval;

/// <summary>A chunk of a section, the unit of retrieval.</summary>
public sealed record KbChunk(string ChunkId, string ArticleId, string ArticleTitle, string SectionTitle, int SectionOrder, int Order, string Text);

/// <summary>Cuts articles into section-level chunks; a long section becomes overlapping windows of words.</summary>
public static class KbChunker
{
    /// <summary>Chunks of every section, articles in id order and sections in their order; ids are <c>article#section.window</c>.</summary>
    public static IReadOnlyList<KbChunk> Chunk(IReadOnlyList<KbArticle> articles, int chunkWords, int overlapWords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkWords, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapWords);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlapWords, chunkWords);
        var chunks = new List<KbChunk>();
        foreach (var article in articles.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            foreach (var section in article.Sections.OrderBy(s => s.Order))
            {
                var windows = Windows(section.Body, chunkWords, overlapWords);
                for (var w = 0; w < windows.Count; w++)
                {
                    chunks.Add(new KbChunk($"{article.Id}#{section.Order}.{w}", article.Id, article.Title, section.Title, section.Order, w, windows[w]));
                }
            }
        }

        return chunks;
    }

    /// <summary>
    /// Windows of <paramref name="size"/> words starting every size - overlap words; the last window ends at the last
    /// word. A section of at most <paramref name="size"/> words is one window with its text unchanged.
    /// </summary>
    public static IReadOnlyList<string> Windows(string body, int size, int overlap)
    {
        var words = body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= size)
        {
            return [body.Trim()];
        }

        var windows = new List<string>();
        var stride = size - overlap;
        for (var start = 0; ; start += stride)
        {
            windows.Add(string.Join(' ', words, start, Math.Min(size, words.Length - start)));
            if (start + size >= words.Length)
            {
                return windows;
            }
        }
    }
}
