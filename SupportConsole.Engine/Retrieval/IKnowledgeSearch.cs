using SupportConsole.Engine.Drafting;

namespace SupportConsole.Engine.Retrieval;

/// <summary>The help-center search the pipeline uses, as of one index version.</summary>
public interface IKnowledgeSearch
{
    string? IndexVersion { get; }

    string? EmbedderVersion { get; }

    IReadOnlyList<SourceHit> Search(string query, string? predictedIntent, int top);

    /// <summary>The full text of one section, or null if the article or section does not exist (any more).</summary>
    CitedSection? FindSection(string articleId, string sectionTitle);
}
