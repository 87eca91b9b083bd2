using SupportConsole.Engine.Onnx;

namespace SupportConsole.Tests.Routing;

public sealed class PaddedRunsTests
{
    [Fact]
    public void RunsCoverEveryTextOnceShortestFirstWithinTheBudget()
    {
        var random = new Random(5);
        var texts = Enumerable.Range(0, 300).Select(_ => new string('a', random.Next(0, 120))).Append(new string('b', 2000)).ToArray();

        var runs = PaddedRuns.Cut(texts).ToList();

        Assert.Equal(Enumerable.Range(0, texts.Length), runs.SelectMany(r => r).Order());
        Assert.All(runs, run =>
        {
            var longest = run.Max(i => texts[i].Length);
            Assert.True(run.Length == 1 || (run.Length <= PaddedRuns.MaxTexts && run.Length * (longest + 2) <= PaddedRuns.MaxPaddedCharacters),
                $"{run.Length} texts up to {longest} characters");
        });
        var lengths = runs.SelectMany(r => r).Select(i => texts[i].Length).ToArray();
        Assert.Equal(lengths.Order(), lengths);
        Assert.Single(runs[^1]);
    }

    [Fact]
    public void RunAllPutsEveryRowBackInInputOrder()
    {
        var texts = Enumerable.Range(0, 100).Select(i => new string('x', (i * 37) % 90)).ToArray();

        var rows = PaddedRuns.RunAll(texts, 2, run => [.. run.SelectMany(t => new[] { t.Length, -t.Length }).Select(v => (float)v)]);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal([texts[i].Length, -texts[i].Length], rows.AsSpan(i * 2, 2).ToArray());
        }
    }
}
