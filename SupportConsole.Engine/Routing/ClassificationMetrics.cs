namespace SupportConsole.Engine.Routing;

/// <summary>Accuracy-style metrics over label indices.</summary>
public static class ClassificationMetrics
{
    /// <summary>Unweighted mean of per-class F1 over the classes that occur in the truth or the predictions.</summary>
    public static double MacroF1(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes)
    {
        var truePositive = new int[classes];
        var falsePositive = new int[classes];
        var falseNegative = new int[classes];
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i] == predicted[i])
            {
                truePositive[truth[i]]++;
            }
            else
            {
                falsePositive[predicted[i]]++;
                falseNegative[truth[i]]++;
            }
        }

        var sum = 0.0;
        var present = 0;
        for (var k = 0; k < classes; k++)
        {
            var denominator = (2 * truePositive[k]) + falsePositive[k] + falseNegative[k];
            if (denominator == 0)
            {
                continue;
            }

            present++;
            sum += 2.0 * truePositive[k] / denominator;
        }

        return present == 0 ? 0 : sum / present;
    }
}
