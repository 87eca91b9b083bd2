using SupportConsole.Engine.Drafting;

namespace SupportConsole.Engine.Retrieval;

/// <summary>The pipeline's view of one built <see cref="KnowledgeIndex"/>: search plus full-section lookup.</summary>
public sealed class KnowledgeSearch(KnowledgeIndex index, IReadOnlyList<KbArticle> articles, string? embedderVersion) : IKnowledgeSearch
{
    private readonly Dictionary<(string ArticleId, string SectionTitle), CitedSection> _sections = articles
        .SelectMany(a => a.Sections.Select(s => new CitedSection(a.Id, a.Title, s.Title, s.Body)))
        .GroupBy(s => (s.ArticleId, s.SectionTitle))
        .ToDictionary(g => g.Key, g => g.First());

    public string? IndexVersion => index.Version;

    public string? EmbedderVersion => embedderVersion;

    public int ChunkCount => index.ChunkCount;

    public IReadOnlyList<SourceHit> Search(string query, string? predictedIntent, int top, bool lexicalOnly = false) =>
    [
        .. index.Search(query, predictedIntent, top, lexicalOnly)
            .Select(r => new SourceHit(r.ArticleId, r.ArticleTitle, r.SectionTitle, r.ChunkId, r.Score, r.Bm25Score, r.DenseScore)),
    ];

    public CitedSection? FindSection(string articleId, string sectionTitle) =>
        _sections.GetValueOrDefault((articleId, sectionTitle));
}
