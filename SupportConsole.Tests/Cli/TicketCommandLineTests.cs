using System.Text.Json;
using Microsoft.Data.Sqlite;
using SupportConsole.Cli;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Cli;

/// <summary><c>tickets replay</c> and <c>tickets import</c> against a fresh state folder.</summary>
public sealed class TicketCommandLineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task ReplayPushesTicketsThroughThePipelineAndReportsBandsAccuracyAndLatency()
    {
        var golden = File.ReadLines(Path.Combine(RepositoryPaths.Root, "data", "tenant", "golden-set.csv")).Take(31).ToList();
        File.WriteAllLines(_directory.File("golden.csv"), golden);

        var (code, output, error) = await CommandLine.Run("tickets", "replay", "--input", _directory.File("golden.csv"), "--data-dir", _directory.File("state"));

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(30, root.GetProperty("tickets").GetInt32());
        Assert.Equal(30, root.GetProperty("bands").EnumerateObject().Sum(b => b.Value.GetInt32()));
        Assert.InRange(root.GetProperty("certifiedShare").GetDouble(), 0, 1);
        Assert.True(root.GetProperty("intentAccuracy").GetDouble() > 0.6);
        Assert.True(root.GetProperty("latencyMs").GetProperty("p95").GetDouble() >= root.GetProperty("latencyMs").GetProperty("p50").GetDouble());
        foreach (var stage in new[] { "ingest", "route", "retrieve", "draft", "gate", "act" })
        {
            Assert.True(root.GetProperty("stageLatencyMs").TryGetProperty(stage, out _), $"no {stage} latency");
        }

        Assert.Equal(30, root.GetProperty("golden").GetProperty("tickets").GetInt32());
    }

    [Fact]
    public async Task ImportStoresHistoricalTicketsOnceHoweverOftenItRuns()
    {
        File.WriteAllText(_directory.File("history.csv"), "text,category\nwhere is my card,card_arrival\n\"how old, exactly?\",age_limit\n");

        var first = await CommandLine.Run("tickets", "import", "--input", _directory.File("history.csv"), "--data-dir", _directory.File("state"));
        var second = await CommandLine.Run("tickets", "import", "--input", _directory.File("history.csv"), "--data-dir", _directory.File("state"));

        Assert.Equal(2, JsonDocument.Parse(first.Output).RootElement.GetProperty("imported").GetInt32());
        Assert.Equal(0, JsonDocument.Parse(second.Output).RootElement.GetProperty("imported").GetInt32());
    }

    [Fact]
    public async Task ReplayOfAMissingFileIsOneErrorLine()
    {
        var (code, _, error) = await CommandLine.Run("tickets", "replay", "--input", "/nonexistent.csv", "--data-dir", _directory.File("state"));

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        Assert.StartsWith("error:", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

}
