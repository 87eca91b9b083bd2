using SupportConsole.Engine.Routing.Calibration;

namespace SupportConsole.Tests.Routing;

public sealed class CalibrationTests
{
    [Theory]
    [InlineData(10, 10, 0.95, 0.7411)] // 0.05^(1/10)
    [InlineData(148, 148, 0.95, 0.9800)]
    [InlineData(95, 100, 0.95, 0.8975)]
    [InlineData(0, 20, 0.95, 0.0)]
    public void ClopperPearsonLowerBoundMatchesKnownValues(int successes, int trials, double confidence, double expected) =>
        Assert.Equal(expected, ClopperPearson.LowerBound(successes, trials, confidence), 3);

    [Fact]
    public void ClopperPearsonBoundsBracketTheObservedRate()
    {
        var lower = ClopperPearson.LowerBound(980, 1000, 0.95);
        var upper = ClopperPearson.UpperBound(980, 1000, 0.95);

        Assert.InRange(lower, 0.970, 0.980);
        Assert.InRange(upper, 0.980, 0.990);
    }

    [Fact]
    public void ClusteredUpperBoundIsTheIndependentOneWhenEveryClusterLeaksAlike()
    {
        // 20 clusters of 50 rows, 2 leaks each: no between-cluster variance beyond what independent rows would show.
        var successes = Enumerable.Repeat(2, 20).ToArray();
        var trials = Enumerable.Repeat(50, 20).ToArray();

        Assert.Equal(ClopperPearson.UpperBound(40, 1000, 0.95), ClopperPearson.UpperBound(successes, trials, 0.95), 6);
    }

    [Fact]
    public void ClusteredUpperBoundWidensWhenTheLeaksComeFromFewClusters()
    {
        // The same 40 leaks of 1,000 rows, all from two of the 20 clusters: far fewer independent observations.
        var successes = new int[20];
        successes[3] = 25;
        successes[11] = 15;
        var trials = Enumerable.Repeat(50, 20).ToArray();

        var independent = ClopperPearson.UpperBound(40, 1000, 0.95);
        var clustered = ClopperPearson.UpperBound(successes, trials, 0.95);

        Assert.InRange(independent, 0.050, 0.053);
        Assert.True(clustered > 0.08, $"clustered bound {clustered:F4}, independent {independent:F4}");
    }

    [Fact]
    public void ClusteredUpperBoundRejectsMoreSuccessesThanTrials() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ClopperPearson.UpperBound([3, 1], [2, 5], 0.95));

    [Fact]
    public void TemperatureScalingRecoversTheTemperatureThatGeneratedTheLabels()
    {
        // Labels drawn from softmax(scores / 2): the fitted weight should be close to 1/2.
        var random = new Random(1);
        const int rows = 4000, classes = 5;
        var scores = new float[rows * classes];
        var labels = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = scores.AsSpan(i * classes, classes);
            for (var k = 0; k < classes; k++)
            {
                row[k] = (float)(random.NextDouble() * 8);
            }

            var p = row.ToArray().Select(s => Math.Exp(s / 2)).ToArray();
            var u = random.NextDouble() * p.Sum();
            labels[i] = 0;
            for (var acc = p[0]; acc < u; acc += p[++labels[i]])
            {
            }
        }

        var weights = StackedTemperatureScaling.Fit([scores], labels, classes);

        Assert.InRange(weights[0], 0.45, 0.55);
        Assert.True(StackedTemperatureScaling.LogLoss([scores], labels, classes, weights)
                    < StackedTemperatureScaling.LogLoss([scores], labels, classes, [1.0]));
    }

    [Fact]
    public void ExpectedCalibrationErrorIsSmallForCalibratedAndLargeForOverconfidentPredictions()
    {
        var random = new Random(2);
        var calibrated = Enumerable.Range(0, 20000).Select(_ =>
        {
            var confidence = 0.5 + (random.NextDouble() / 2);
            return (confidence, random.NextDouble() < confidence);
        }).ToList();
        var overconfident = calibrated.Select(p => (Math.Min(1.0, p.confidence + 0.2), p.Item2)).ToList();

        Assert.True(CalibrationError.Expected(calibrated) < 0.02);
        Assert.True(CalibrationError.Expected(overconfident) > 0.1);
    }

    [Fact]
    public void CertificationReachesTheTargetOnFreshDataFromTheSameSource()
    {
        var settings = new CertificationSettings { TargetPrecision = 0.95, MinIntentSamples = 20 };
        var intents = new[] { "easy", "hard", "rare" };
        var rule = CertificationRuleBuilder.Build(Simulate(new Random(3), 6000), intents, settings);
        var fresh = Simulate(new Random(4), 6000);

        var certified = fresh.Where(p => rule.IsCertified(p.Predicted, p.Confidence)).ToList();
        var precision = certified.Count(p => p.Correct) / (double)certified.Count;

        Assert.True(rule.PrecisionLowerBound >= 0.95, $"bound {rule.PrecisionLowerBound}");
        Assert.True(precision >= 0.95, $"precision {precision}");
        Assert.True(certified.Count > fresh.Count / 10, $"only {certified.Count} certified");
        Assert.Equal(CertificationRule.StatusInsufficientData, rule.Intents[2].Status);
        Assert.Null(rule.Intents[2].Threshold);
        Assert.DoesNotContain(certified, p => p.Predicted == 2);
        Assert.True(rule.Intents[1].Threshold > rule.Intents[0].Threshold,
            $"the harder intent needs a higher threshold: {rule.Intents[1].Threshold} vs {rule.Intents[0].Threshold}");
    }

    [Fact]
    public void NothingIsCertifiedWhenNoThresholdCanMeetTheTarget()
    {
        var random = new Random(5);
        var coinFlips = Enumerable.Range(0, 2000)
            .Select(i => new HeldOutPrediction(i % 5, random.Next(2), random.Next(2), random.NextDouble()))
            .ToList();

        var rule = CertificationRuleBuilder.Build(coinFlips, ["a", "b"], new CertificationSettings { TargetPrecision = 0.99 });

        Assert.Equal(0, rule.HeldOutCertified);
        Assert.All(rule.Intents, i => Assert.Null(i.Threshold));
    }

    /// <summary>
    /// Predictions whose chance of being right equals their confidence for "easy" and is lower for "hard"
    /// (its odds divided by e^1.5); "rare" is predicted too seldom to be certified.
    /// </summary>
    private static List<HeldOutPrediction> Simulate(Random random, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var predicted = random.NextDouble() switch { < 0.6 => 0, < 0.997 => 1, _ => 2 };
            var confidence = 0.3 + (0.7 * Math.Sqrt(random.NextDouble()));
            var chance = predicted == 1 ? 1 / (1 + ((1 - confidence) / confidence * Math.Exp(1.5))) : confidence;
            var correct = random.NextDouble() < chance;
            var label = correct ? predicted : (predicted + 1) % 2;
            return new HeldOutPrediction(i % 5, label, predicted, confidence);
        }),
    ];
}
