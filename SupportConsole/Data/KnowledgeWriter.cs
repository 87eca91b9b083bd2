using SupportConsole.Data.Entities;

namespace SupportConsole.Data;

/// <summary>Turns a parsed help-center article into its database rows (article and sections).</summary>
public static class KnowledgeWriter
{
    public static KbArticle ToEntity(Engine.Retrieval.KbArticle article, string markdown, int version, DateTimeOffset at, string actor) => new()
    {
        Id = article.Id,
        Title = article.Title,
        Intents = string.Join(",", article.Intents),
        Markdown = markdown,
        Version = version,
        UpdatedAt = at,
        UpdatedBy = actor,
        Sections = [.. article.Sections.Select(s => new KbSection { ArticleId = article.Id, Order = s.Order, Title = s.Title, Body = s.Body })],
    };

    /// <summary>The kept copy of a published article version.</summary>
    public static KbArticleVersion VersionOf(KbArticle article, string? note) => new()
    {
        ArticleId = article.Id,
        Version = article.Version,
        Title = article.Title,
        Markdown = article.Markdown,
        PublishedAt = article.UpdatedAt,
        PublishedBy = article.UpdatedBy,
        Note = note,
    };

    /// <summary>The engine's view of a stored article (for indexing and drafting).</summary>
    public static Engine.Retrieval.KbArticle ToEngine(KbArticle article) => new(
        article.Id,
        article.Title,
        [.. article.Intents.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        [.. article.Sections.OrderBy(s => s.Order).Select(s => new Engine.Retrieval.KbSection(article.Id, s.Title, s.Body, s.Order))]);
}
