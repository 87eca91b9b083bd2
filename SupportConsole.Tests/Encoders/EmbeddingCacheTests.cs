using SupportConsole.Engine.Encoders;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Encoders;

/// <summary>
/// The training-embedding cache on disk: two writers on one folder (two instances, or the app and a command) keep
/// every record whole, and a record torn by a crash is cut off rather than misread.
/// </summary>
public sealed class EmbeddingCacheTests
{
    [Fact]
    public void TwoCachesOnOneFolderAppendingAtOnceLeaveEveryRowReadable()
    {
        using var folder = new TemporaryDirectory();
        var encoder = TestModels.Encoder;
        var first = EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions);
        var second = EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions);
        var left = Enumerable.Range(0, 600).Select(i => $"my card number {i} has not arrived").ToArray();
        var right = Enumerable.Range(0, 600).Select(i => $"refund {i} is still pending").ToArray();

        Parallel.Invoke(
            () => first.Embed(encoder, left, progress: null, CancellationToken.None),
            () => second.Embed(encoder, right, progress: null, CancellationToken.None));

        var reopened = EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions);
        Assert.Equal(1200, reopened.Count);
        var again = reopened.Embed(encoder, [.. left, .. right], progress: null, CancellationToken.None);
        Assert.Equal(0, again.Computed);
        Assert.Equal(encoder.Embed([right[7]]), again.Rows.AsSpan((600 + 7) * encoder.Dimensions, encoder.Dimensions).ToArray());
    }

    [Fact]
    public void ARecordTornByACrashIsCutOffAndTheNextAppendStartsOnABoundary()
    {
        using var folder = new TemporaryDirectory();
        var encoder = TestModels.Encoder;
        EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions)
            .Embed(encoder, ["where is my card", "I want a refund"], progress: null, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(folder.Path, "embeddings-*.bin"));
        TearTheLastRecord(file);

        // Cut off on open; torn again (another process died) after this one opened, and cut off before the append.
        var cache = EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions);
        Assert.Equal(2, cache.Count);
        TearTheLastRecord(file);
        cache.Embed(encoder, ["my transfer failed"], progress: null, CancellationToken.None);

        var reopened = EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions);
        Assert.Equal(3, reopened.Count);
        var rows = reopened.Embed(encoder, ["where is my card", "my transfer failed"], progress: null, CancellationToken.None);
        Assert.Equal(0, rows.Computed);
        Assert.Equal(encoder.Embed(["my transfer failed"]), rows.Rows.AsSpan(encoder.Dimensions).ToArray());
    }

    [Fact]
    public void HelpCenterSectionsAreEmbeddedOnceAndQueriesNeverReachTheCache()
    {
        using var folder = new TemporaryDirectory();
        var encoder = TestModels.Encoder;
        KbArticle[] articles =
        [
            new("card", "Activating your card", ["activate_my_card"], [new KbSection("card", "In the app", "Open the app, choose Cards and tap Activate.", 0)]),
            new("refund", "Refunds", ["request_refund"], [new KbSection("refund", "How long", "A refund reaches your account within five working days.", 0)]),
        ];
        var settings = new RetrievalSettings();
        var direct = KnowledgeIndex.Build(articles, encoder, settings);

        var cache = EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions);
        var first = KnowledgeIndex.Build(articles, encoder, settings, new CachedTextEmbedder(encoder, cache));
        var cached = cache.Count;
        var again = KnowledgeIndex.Build(articles, encoder, settings, new CachedTextEmbedder(encoder, EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions)));
        var found = again.Search("how long does a refund take", predictedIntent: null, top: 1);

        Assert.Equal(2, cached);
        Assert.Equal(direct.Version, first.Version);
        Assert.Equal("refund", Assert.Single(found).ArticleId);
        Assert.Equal(direct.Search("how long does a refund take", null, 1)[0].Score, found[0].Score, 5);
        Assert.Equal(2, EmbeddingCache.Open(folder.Path, encoder.VersionId, encoder.Dimensions).Count);
        Assert.Throws<ArgumentException>(() => KnowledgeIndex.Build(articles, encoder, settings, new CachedTextEmbedder(
            new DifferentVersion(encoder), cache)));
    }

    /// <summary>The same model under another version id: its vectors must not be searched with the encoder's.</summary>
    private sealed class DifferentVersion(SentenceEncoder encoder) : ITextEmbedder
    {
        public int Dimensions => encoder.Dimensions;

        public string VersionId => encoder.VersionId + "-other";

        public float[] Embed(IReadOnlyList<string> texts) => encoder.Embed(texts);
    }

    private static void TearTheLastRecord(string file)
    {
        using var stream = new FileStream(file, FileMode.Append);
        stream.Write(new byte[50]);
    }
}
