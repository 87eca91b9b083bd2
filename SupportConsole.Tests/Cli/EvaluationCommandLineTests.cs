using System.Text.Json;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Cli;

/// <summary><c>eval golden</c> against a fresh state folder.</summary>
public sealed class EvaluationCommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task EvalGoldenPrintsTheGoldenSetFiguresAsOneJsonObject()
    {
        var golden = File.ReadLines(Path.Combine(RepositoryPaths.Root, "data", "tenant", "golden-set.csv")).Take(61).ToList();
        File.WriteAllLines(_directory.File("golden.csv"), golden);

        var (code, output, error) = await CommandLine.Run("eval", "golden", "--golden", _directory.File("golden.csv"), "--data-dir", _directory.File("state"));

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(60, root.GetProperty("tickets").GetInt32());
        foreach (var name in new[] { "routerAccuracy", "autoResolvedShare", "badAnswerRate", "meanGroundedness", "retrievalRecallAt3" })
        {
            Assert.InRange(root.GetProperty(name).GetDouble(), 0, 1);
        }

        Assert.True(root.GetProperty("routerAccuracy").GetDouble() > 0.8);
        Assert.True(root.GetProperty("latencyMs").GetProperty("p95").GetDouble() >= root.GetProperty("latencyMs").GetProperty("p50").GetDouble());
    }

    [Fact]
    public async Task EvalGoldenWithAMissingFileSaysSoInOneLine()
    {
        var (code, _, error) = await CommandLine.Run("eval", "golden", "--golden", _directory.File("missing.csv"), "--data-dir", _directory.File("state"));

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("file not found", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    public void Dispose() => _directory.Dispose();
}
