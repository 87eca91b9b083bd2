using SupportConsole.Engine.Drafting;

namespace SupportConsole.Engine.Retrieval;

/// <summary>The help-center search the pipeline uses, as of one index version.</summary>
public interface IKnowledgeSearch
{
    string? IndexVersion { get; }

    string? EmbedderVersion { get; }

    /// <summary>The top sections for <paramref name="query"/>; <paramref name="lexicalOnly"/>: without the embedder (see <see cref="KnowledgeIndex.Search(string, string?, int, bool)"/>).</summary>
    IReadOnlyList<SourceHit> Search(string query, string? predictedIntent, int top, bool lexicalOnly = false);

    /// <summary>The full text of one section, or null if the article or section does not exist (any more).</summary>
    CitedSection? FindSection(string articleId, string sectionTitle);
}
