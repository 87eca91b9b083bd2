using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Jobs;
using SupportConsole.Routing;

namespace SupportConsole.Knowledge;

/// <summary>The live help-center index as pages show it.</summary>
public sealed record KnowledgeIndexState(string Version, string? EmbedderVersion, int Articles, int Chunks, DateTimeOffset BuiltAt,
    double DurationMilliseconds, string BuiltBy);

/// <summary>
/// Holds the live help-center index, built from the database. A rebuild makes a new index beside the live one and
/// swaps the reference: searches never see a half-built index and never wait. Each version that goes live is
/// recorded (version, chunks, duration) and named in the settings, so every instance can follow it. Sections are
/// embedded once per text and encoder version: their vectors are kept in the model cache (a file of their own beside
/// the training embeddings), so a start or a rebuild embeds only the sections that changed.
/// </summary>
public sealed class KnowledgeIndexProvider(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    ITextEmbedder encoder,
    ShippedRouterBuilder models,
    ChangeFeed changes,
    TimeProvider clock,
    ILogger<KnowledgeIndexProvider> logger)
{
    private readonly Lazy<ITextEmbedder> _sections = new(() => new CachedTextEmbedder(encoder,
        EmbeddingCache.Open(Path.Combine(models.CacheDirectory, "embeddings", "knowledge"), encoder.VersionId, encoder.Dimensions)));
    private readonly SemaphoreSlim _build = new(1, 1);
    private volatile KnowledgeSearch? _current;
    private volatile KnowledgeIndexState? _state;

    /// <summary>The live index; throws until <see cref="RebuildAsync(CancellationToken)"/> ran once.</summary>
    public IKnowledgeSearch Current => _current ?? throw new InvalidOperationException("the knowledge index has not been built yet");

    public bool IsBuilt => _current is not null;

    /// <summary>What is live on this instance (null before the first build).</summary>
    public KnowledgeIndexState? State => _state;


    public async Task<IKnowledgeSearch> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await RebuildAsync(null, "system:startup", null, cancellationToken);
        return Current;
    }

    /// <summary>Builds the index from the articles as they are now, then swaps it in; reports its phases to <paramref name="progress"/>.</summary>
    public async Task<KnowledgeIndexState> RebuildAsync(IJobProgress? progress, string builtBy, Guid? jobRunId, CancellationToken cancellationToken)
    {
        await _build.WaitAsync(cancellationToken);
        try
        {
            var clockStart = Stopwatch.StartNew();
            await Report(progress, 0.05, "reading the articles");
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var articles = await db.KbArticles.AsNoTracking().Include(a => a.Sections).OrderBy(a => a.Id).ToListAsync(cancellationToken);
            var engineArticles = articles.Select(KnowledgeWriter.ToEngine).ToList();
            await Report(progress, 0.2, $"embedding the sections of {articles.Count} articles");
            var index = KnowledgeIndex.Build(engineArticles, encoder, new RetrievalSettings(), chunkEmbedder: _sections.Value);
            cancellationToken.ThrowIfCancellationRequested();

            // The old index keeps answering until the line below: this report is the last moment before the swap.
            await Report(progress, 0.9, $"built {index.Version} ({index.ChunkCount} chunks); going live");
            var search = new KnowledgeSearch(index, engineArticles, encoder.VersionId);
            var state = new KnowledgeIndexState(index.Version, encoder.VersionId, articles.Count, index.ChunkCount, clock.GetUtcNow(),
                Math.Round(clockStart.Elapsed.TotalMilliseconds, 1), builtBy);
            _current = search;
            _state = state;
            var liveChanged = await RecordAsync(db, state, jobRunId, cancellationToken);

            logger.LogInformation("Knowledge index {Version} built: {Articles} articles, {Chunks} chunks in {Milliseconds} ms",
                index.Version, articles.Count, index.ChunkCount, state.DurationMilliseconds);
            if (liveChanged)
            {
                changes.Publish(KnowledgeTopics.IndexLive, state);
            }
            else
            {
                changes.Raise(KnowledgeTopics.IndexLive, state);
            }
            return state;
        }
        finally
        {
            _build.Release();
        }
    }

    /// <summary>The newest recorded builds, newest first.</summary>
    public async Task<IReadOnlyList<KnowledgeIndexBuild>> HistoryAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.KnowledgeIndexBuilds.AsNoTracking().OrderByDescending(b => b.BuiltAt).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Another instance put <paramref name="version"/> live (or the settings say so): build the same content here, unless
    /// this instance already serves it.
    /// </summary>
    public async Task FollowAsync(string version, CancellationToken cancellationToken)
    {
        if (_state?.Version == version)
        {
            return;
        }

        var state = await RebuildAsync(null, "cluster:follow", null, cancellationToken);
        logger.LogInformation("Followed the help-center index to {Version} (asked for {Asked})", state.Version, version);
    }

    /// <summary>The version the settings name as live on the installation, or null.</summary>
    public async Task<string?> LiveVersionAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Settings.AsNoTracking().Where(s => s.Key == SettingKeys.KnowledgeIndexVersion).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Records the version that went live, unless it already was (a restart rebuilding the same content adds nothing);
    /// true when the installation's live version changed.
    /// </summary>
    private async Task<bool> RecordAsync(SupportConsoleDbContext db, KnowledgeIndexState state, Guid? jobRunId, CancellationToken cancellationToken)
    {
        var live = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKeys.KnowledgeIndexVersion, cancellationToken);
        var changed = live?.Value != state.Version;
        if (!changed && jobRunId is null)
        {
            return false;
        }

        db.KnowledgeIndexBuilds.Add(new KnowledgeIndexBuild
        {
            Id = Guid.CreateVersion7(state.BuiltAt),
            IndexVersion = state.Version,
            EmbedderVersion = state.EmbedderVersion ?? "none",
            Articles = state.Articles,
            Chunks = state.Chunks,
            DurationMilliseconds = state.DurationMilliseconds,
            BuiltAt = state.BuiltAt,
            BuiltBy = state.BuiltBy,
            JobRunId = jobRunId,
        });
        if (live is null)
        {
            db.Settings.Add(new Setting { Key = SettingKeys.KnowledgeIndexVersion, Value = state.Version, UpdatedAt = state.BuiltAt, UpdatedBy = state.BuiltBy });
        }
        else if (live.Value != state.Version)
        {
            (live.Value, live.UpdatedAt, live.UpdatedBy, live.Reason) = (state.Version, state.BuiltAt, state.BuiltBy, "index rebuilt");
        }

        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    private static Task Report(IJobProgress? progress, double fraction, string message) =>
        progress?.ReportAsync(fraction, message) ?? Task.CompletedTask;
}

/// <summary>Help-center indexes on the <see cref="ChangeFeed"/>: raised on each instance when its live index was swapped.</summary>
public static class KnowledgeTopics
{
    /// <summary>The other instances get the version and build the same content (<see cref="KnowledgeIndexFollower"/>).</summary>
    public static readonly ChangeTopic<KnowledgeIndexState> IndexLive = new("kb-index", state => state.Version);
}

/// <summary>Another instance put an index version live: this one builds the same content; a missed notification is caught up within seconds.</summary>
internal sealed class KnowledgeIndexFollower(KnowledgeIndexProvider knowledge) : IChangeFollower
{
    public string Topic => KnowledgeTopics.IndexLive.Name;

    public Task FollowAsync(string payload, CancellationToken cancellationToken) => knowledge.FollowAsync(payload, cancellationToken);

    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (knowledge.IsBuilt && await knowledge.LiveVersionAsync(cancellationToken) is { } live && live != knowledge.State?.Version)
        {
            await knowledge.FollowAsync(live, cancellationToken);
        }
    }
}
