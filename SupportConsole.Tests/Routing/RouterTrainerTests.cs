using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Training;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Routing;

[Collection(SmallRouterCollection.Name)]
public sealed class RouterTrainerTests(SmallRouterFixture fixture)
{
    [Fact]
    public void TrainingIsDeterministicGivenTheSeed()
    {
        var again = new RouterTrainer(SmallRouterFixture.Settings).Train(fixture.Train, "banking77 slice");
        var otherSeed = new RouterTrainer(SmallRouterFixture.Settings with { Seed = 99 }).Train(fixture.Train, "banking77 slice");

        Assert.Equal(fixture.Trained.Card.Onnx.Sha256, again.Card.Onnx.Sha256);
        Assert.NotEqual(fixture.Trained.Card.Onnx.Sha256, otherSeed.Card.Onnx.Sha256);
    }

    [Fact]
    public void StratifiedFoldsSpreadEveryIntentEvenly()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i % 4).ToArray();

        var folds = RouterTrainer.StratifiedFolds(labels, 4, 5, seed: 1);

        for (var k = 0; k < 4; k++)
        {
            var perFold = Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, 100).Count(i => labels[i] == k && folds[i] == f)).ToArray();
            Assert.All(perFold, count => Assert.Equal(5, count));
        }
    }

    [Fact]
    public void TrainingRefusesASingleIntent()
    {
        var rows = Enumerable.Range(0, 20).Select(i => new LabelledText($"ticket {i}", "only")).ToList();

        var error = Assert.Throws<ArgumentException>(() => new RouterTrainer(SmallRouterFixture.Settings).Train(rows, "one intent"));

        Assert.Contains("at least two intents", error.Message);
    }

    [Fact]
    public void DataHashIgnoresLineEndingsButNotContent()
    {
        LabelledText[] unix = [new("a\nb", "x")];
        LabelledText[] windows = [new("a\r\nb", "x")];
        LabelledText[] other = [new("a\nc", "x")];

        Assert.Equal(RouterTrainer.DataHash(unix), RouterTrainer.DataHash(windows));
        Assert.NotEqual(RouterTrainer.DataHash(unix), RouterTrainer.DataHash(other));
    }
}
