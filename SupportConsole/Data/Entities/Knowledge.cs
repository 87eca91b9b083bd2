namespace SupportConsole.Data.Entities;

/// <summary>A help-center article; its sections are rewritten on every save, and Version counts the saves.</summary>
public sealed class KbArticle
{
    public required string Id { get; set; }

    public required string Title { get; set; }

    /// <summary>Comma-separated intents the article answers.</summary>
    public required string Intents { get; set; }

    public required string Markdown { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public List<KbSection> Sections { get; set; } = [];
}

/// <summary>A published version of an article, kept for its history (diff and revert).</summary>
public sealed class KbArticleVersion
{
    public required string ArticleId { get; set; }

    public int Version { get; set; }

    public required string Title { get; set; }

    public required string Markdown { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public string? PublishedBy { get; set; }

    /// <summary>What the publisher said about the change (a revert names the version it went back to).</summary>
    public string? Note { get; set; }
}

/// <summary>
/// An article's unpublished draft: saved while a manager works on it, invisible to retrieval and drafting until it is
/// published. A draft whose article does not exist yet is a new article.
/// </summary>
public sealed class KbDraft
{
    public required string ArticleId { get; set; }

    public required string Markdown { get; set; }

    /// <summary>The published version the draft started from (null for a new article): publishing over a newer one is refused.</summary>
    public int? BaseVersion { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}

public sealed class KbSection
{
    public long Id { get; set; }

    public required string ArticleId { get; set; }

    public int Order { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }
}

/// <summary>A retrieval chunk of a section, as indexed in one index version.</summary>
public sealed class KbChunk
{
    public long Id { get; set; }

    public required string ChunkId { get; set; }

    public required string IndexVersion { get; set; }

    public required string ArticleId { get; set; }

    public required string SectionTitle { get; set; }

    public int Order { get; set; }

    public required string Text { get; set; }
}

/// <summary>The approved reply for an intent; managers own it.</summary>
public sealed class ReplyTemplate
{
    public required string Intent { get; set; }

    public required string ArticleId { get; set; }

    public required string SectionTitle { get; set; }

    public required string Greeting { get; set; }

    public required string Body { get; set; }

    public required string Closing { get; set; }

    /// <summary>Comma-separated transaction kinds the {{transaction.*}} slots draw from.</summary>
    public string? TransactionKinds { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}
