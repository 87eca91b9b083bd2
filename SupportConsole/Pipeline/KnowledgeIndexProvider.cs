using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Engine.Pipeline;
using SupportConsole.Engine.Retrieval;

namespace SupportConsole.Pipeline;

/// <summary>
/// Holds the live help-center index, built from the database. A rebuild makes a new index beside the live one and
/// swaps the reference: searches never see a half-built index and never wait.
/// </summary>
public sealed class KnowledgeIndexProvider(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    ITextEmbedder embedder,
    ILogger<KnowledgeIndexProvider> logger)
{
    private readonly SemaphoreSlim _build = new(1, 1);
    private volatile KnowledgeSearch? _current;

    /// <summary>The live index; throws until <see cref="RebuildAsync"/> ran once.</summary>
    public IKnowledgeSearch Current => _current ?? throw new InvalidOperationException("the knowledge index has not been built yet");

    public bool IsBuilt => _current is not null;

    public async Task<IKnowledgeSearch> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await _build.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var articles = await db.KbArticles.AsNoTracking().Include(a => a.Sections).OrderBy(a => a.Id).ToListAsync(cancellationToken);
            var engineArticles = articles.Select(KnowledgeWriter.ToEngine).ToList();
            var index = KnowledgeIndex.Build(engineArticles, embedder, new RetrievalSettings());
            var search = new KnowledgeSearch(index, engineArticles, embedder.VersionId);
            _current = search;
            logger.LogInformation("Knowledge index {Version} built: {Articles} articles, {Chunks} chunks",
                index.Version, articles.Count, index.ChunkCount);
            return search;
        }
        finally
        {
            _build.Release();
        }
    }
}
