using SupportConsole.Engine.Numerics;

namespace SupportConsole.Tests.Routing;

/// <summary>
/// The fixed-order reductions agree with a double-precision reference at every length around the 4- and 16-value
/// blocks. That they give the same bits at every vector width is held by
/// <c>TrainingInTwoProcessesWithDifferentVectorWidthsWritesTheSameModel</c>.
/// </summary>
public sealed class FixedOrderMathTests
{
    [Fact]
    public void DotSumAndNormMatchADoublePrecisionReference()
    {
        var random = new Random(3);
        for (var length = 0; length <= 70; length++)
        {
            var x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var y = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var dot = x.Zip(y).Sum(p => (double)p.First * p.Second);
            var sum = x.Sum(v => (double)v);
            var squares = x.Sum(v => (double)v * v);

            Assert.Equal(dot, FixedOrderMath.Dot(x, y), 1e-5);
            Assert.Equal(sum, FixedOrderMath.Sum(x), 1e-5);
            Assert.Equal(Math.Sqrt(squares), FixedOrderMath.Norm(x), 1e-5);
        }
    }

    [Fact]
    public void SoftMaxGivesProbabilitiesInPlaceEvenForLargeScores()
    {
        float[] scores = [1000f, 999f, -5f, 1000f, 0f, 3f, 2f, 1f, 998f];
        var expected = scores.Select(s => Math.Exp(s - 1000.0)).ToArray();
        var total = expected.Sum();

        FixedOrderMath.SoftMax(scores, scores);

        Assert.Equal(1.0, scores.Sum(p => (double)p), 1e-6);
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(expected[i] / total, scores[i], 1e-6);
        }
    }

    [Fact]
    public void MismatchedLengthsAndEmptySoftMaxAreRefused()
    {
        Assert.Throws<ArgumentException>(() => FixedOrderMath.Dot([1f, 2f], [1f]));
        Assert.Throws<ArgumentException>(() => FixedOrderMath.SoftMax([], []));
    }
}
