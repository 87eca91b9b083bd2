using System.Text.Json;
using SupportConsole.Cli;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Retrieval;

/// <summary>The <c>embedder build</c> and <c>retrieval eval</c> verbs as a user runs them: JSON out, one-line errors, exit codes.</summary>
public sealed class RetrievalCommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task EmbedderBuildWritesALoadableModelAndCard()
    {
        var outDir = _directory.File("embedder");

        var (code, output, error) = await CommandLine.Run("embedder", "build", "--vectors", RetrievalFixtures.WinkVectors, "--out", outDir, "--words", "3");

        Assert.True(code == 0, error);
        Assert.Contains("wrote ", output);
        using var embedder = OnnxTextEmbedder.Load(outDir);
        Assert.Equal(3, embedder.Card.Words);
        Assert.Equal("9.9.9-test", embedder.Card.SourceVersion);
        Assert.Equal(3, embedder.Dimensions);
    }

    [Fact]
    public async Task EvalInBm25ModeNeedsNoEmbedderAndPrintsOneJsonObject()
    {
        var (code, output, error) = await CommandLine.Run("retrieval", "eval", "--kb", RetrievalFixtures.Kb, "--golden", RetrievalFixtures.Golden,
            "--mode", "bm25", "--embedder", _directory.File("none"));

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("rows").GetInt32());
        Assert.False(root.GetProperty("intentBoost").GetBoolean());
        var modes = root.GetProperty("modes");
        Assert.Equal(["bm25"], modes.EnumerateObject().Select(p => p.Name));
        Assert.InRange(modes.GetProperty("bm25").GetProperty("recallAt3").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task EvalOfAllModesWithTheIntentReportsEveryMode()
    {
        RetrievalFixtures.TinyEmbedder(_directory.File("embedder")).Dispose();

        var (code, output, error) = await CommandLine.Run("retrieval", "eval", "--kb", RetrievalFixtures.Kb, "--golden", RetrievalFixtures.Golden,
            "--embedder", _directory.File("embedder"), "--with-intent");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var modes = json.RootElement.GetProperty("modes");
        Assert.Equal(["bm25", "dense", "hybrid"], modes.EnumerateObject().Select(p => p.Name));
        Assert.All(modes.EnumerateObject(), m => Assert.Equal(1.0, m.Value.GetProperty("recallAt1").GetDouble()));
    }

    public static TheoryData<string[], string> FailingRuns => new()
    {
        { ["retrieval", "eval", "--kb", "/nonexistent/kb", "--mode", "bm25"], "knowledge-base folder not found" },
        { ["retrieval", "eval", "--kb", RetrievalFixtures.MalformedKb, "--mode", "bm25"], "article untitled" },
        { ["retrieval", "eval", "--kb", RetrievalFixtures.Kb, "--golden", "/nonexistent/golden.csv", "--mode", "bm25"], "golden.csv" },
        { ["retrieval", "eval", "--kb", RetrievalFixtures.Kb, "--golden", Path.Combine(RetrievalFixtures.Directory, "golden-no-article.csv"), "--mode", "bm25"], "no expected_article" },
        { ["retrieval", "eval", "--kb", RetrievalFixtures.Kb, "--golden", Path.Combine(RetrievalFixtures.Directory, "golden-unknown-article.csv"), "--mode", "bm25"], "card-tracking" },
        { ["retrieval", "eval", "--kb", RetrievalFixtures.Kb, "--golden", RetrievalFixtures.Golden, "--mode", "hybrid", "--embedder", "/nonexistent/embedder"], "embedder card not found" },
        { ["embedder", "build", "--vectors", "/nonexistent/vectors.json", "--out", "/tmp/unused"], "file not found" },
        { ["embedder", "build", "--vectors", Path.Combine(RetrievalFixtures.Directory, "golden.csv"), "--out", "/tmp/unused"], "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(FailingRuns))]
    public async Task BadInputPrintsOneErrorLineAndExitsWithFailure(string[] args, string reason)
    {
        var (code, output, error) = await CommandLine.Run(args);

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error);
        Assert.Contains(reason, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("retrieval", "eval", "--mode", "fuzzy")]
    [InlineData("embedder", "build", "--vectors", "v.json", "--out", "x", "--words", "0")]
    [InlineData("embedder", "build", "--out", "x")]
    public async Task BadArgumentsAreUsageErrors(params string[] args)
    {
        var (code, _, error) = await CommandLine.Run(args);

        Assert.Equal(SupportConsoleCommandLine.UsageError, code);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose() => _directory.Dispose();
}
