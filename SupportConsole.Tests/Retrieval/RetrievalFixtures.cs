using SupportConsole.Engine.Retrieval;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Retrieval;

/// <summary>The small hand-written knowledge base, golden set and word vectors under Retrieval/Fixtures.</summary>
internal static class RetrievalFixtures
{
    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "SupportConsole.Tests", "Retrieval", "Fixtures");

    public static string Kb => Path.Combine(Directory, "kb");

    public static string MalformedKb => Path.Combine(Directory, "malformed-kb");

    public static string Golden => Path.Combine(Directory, "golden.csv");

    public static string WinkVectors => Path.Combine(Directory, "wink-tiny", "vectors.json");

    public static IReadOnlyList<KbArticle> Articles() => KbMarkdown.LoadDirectory(Kb);

    /// <summary>A few hand-made 4-dimensional vectors, most frequent word first, covering the fixture's vocabulary.</summary>
    public static readonly string[] Words = ["the", "card", "arrive", "café", "late", "lost", "stolen", "fee", "cost", "post", "activate", "été"];

    public static readonly float[][] Vectors =
    [
        [1f, 1f, 1f, 1f], [1f, 0f, 0f, 2f], [0f, 1f, 0f, 0f], [0.5f, 0.5f, 0.5f, 0f], [0f, 0f, 3f, 1f], [0f, 0f, 0f, 1f],
        [0f, 0.2f, 0f, 1f], [2f, 0f, 1f, 0f], [1.5f, 0f, 1f, 0f], [0f, 2f, 0f, 0.5f], [1f, 1f, 0f, 0f], [0f, 0.5f, 2f, 0f],
    ];

    public static readonly EmbedderSource Source = new("test", "1.0", "test vectors");

    /// <summary>Writes the tiny embedder into <paramref name="directory"/> and loads it.</summary>
    public static OnnxTextEmbedder TinyEmbedder(string directory, double? sifA = EmbedderGraphWriter.DefaultSifA)
    {
        EmbedderGraphWriter.Write(directory, Words, Vectors, Source, sifA);
        return OnnxTextEmbedder.Load(directory);
    }
}
