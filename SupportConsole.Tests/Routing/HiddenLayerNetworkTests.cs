using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Tests.Routing;

public sealed class HiddenLayerNetworkTests
{
    [Fact]
    public void WeightAveragingReturnsTheMeanOfTheEpochEndWeights()
    {
        var (x, labels) = ToyProblem();
        var plain = new HiddenLayerSettings { Hidden = 8, BatchSize = 4, AverageFromEpoch = 0 };
        var afterTwo = new HiddenLayerNetworkTrainer(plain, seed: 3).Fit(x, labels, 3, epochs: 2);
        var afterThree = new HiddenLayerNetworkTrainer(plain, seed: 3).Fit(x, labels, 3, epochs: 3);

        var averaged = new HiddenLayerNetworkTrainer(plain with { AverageFromEpoch = 2 }, seed: 3).Fit(x, labels, 3, epochs: 3);

        for (var i = 0; i < averaged.Embedding.Length; i++)
        {
            Assert.Equal((afterTwo.Embedding[i] + afterThree.Embedding[i]) / 2, averaged.Embedding[i], 5);
        }

        for (var i = 0; i < averaged.Output.Length; i++)
        {
            Assert.Equal((afterTwo.Output[i] + afterThree.Output[i]) / 2, averaged.Output[i], 5);
        }
    }

    [Fact]
    public void AveragingStartsOnlyAtItsEpoch()
    {
        var (x, labels) = ToyProblem();
        var settings = new HiddenLayerSettings { Hidden = 8, BatchSize = 4, AverageFromEpoch = 4 };

        var early = new HiddenLayerNetworkTrainer(settings, seed: 3).Fit(x, labels, 3, epochs: 3);
        var plain = new HiddenLayerNetworkTrainer(settings with { AverageFromEpoch = 0 }, seed: 3).Fit(x, labels, 3, epochs: 3);

        Assert.Equal(plain.Embedding, early.Embedding);
    }

    private static (SparseMatrix X, int[] Labels) ToyProblem()
    {
        var rows = new List<SparseVector>();
        var labels = new List<int>();
        for (var i = 0; i < 24; i++)
        {
            var label = i % 3;
            rows.Add(new SparseVector([label, 3 + (i % 4)], [1f, 0.5f]));
            labels.Add(label);
        }

        return (SparseMatrix.FromRows(rows, 7), [.. labels]);
    }
}
