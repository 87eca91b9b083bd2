using System.Numerics.Tensors;
using SupportConsole.Engine.Numerics;

namespace SupportConsole.Engine.Routing.Calibration;

/// <summary>
/// Stacked temperature scaling: the calibrated scores are a weighted sum of each ensemble member's scores,
/// softmax(sum_m w_m * scores_m), with the weights chosen to minimise held-out log-loss. With one member this
/// is plain temperature scaling (w = 1 / T). The objective is convex in the weights; Newton's method solves it.
/// </summary>
public static class StackedTemperatureScaling
{
    /// <param name="memberScores">Per member, held-out scores laid out rows x classes.</param>
    public static double[] Fit(IReadOnlyList<float[]> memberScores, int[] labels, int classes)
    {
        var members = memberScores.Count;
        var weights = Enumerable.Repeat(1.0 / members, members).ToArray();
        var loss = LogLoss(memberScores, labels, classes, weights);
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var (gradient, hessian) = Derivatives(memberScores, labels, classes, weights);
            for (var m = 0; m < members; m++)
            {
                hessian[m, m] += 1e-9;
            }

            var step = Solve(hessian, gradient);
            var scale = 1.0;
            double[] candidate;
            double candidateLoss;
            do
            {
                candidate = weights.Select((w, m) => Math.Max(1e-4, w - (scale * step[m]))).ToArray();
                candidateLoss = LogLoss(memberScores, labels, classes, candidate);
                scale /= 2;
            }
            while (candidateLoss > loss && scale > 1e-6);

            if (candidateLoss > loss)
            {
                break;
            }

            var improvement = loss - candidateLoss;
            weights = candidate;
            loss = candidateLoss;
            if (improvement < 1e-9)
            {
                break;
            }
        }

        return weights;
    }

    public static double LogLoss(IReadOnlyList<float[]> memberScores, int[] labels, int classes, IReadOnlyList<double> weights)
    {
        var rows = labels.Length;
        var total = 0.0;
        var combined = new float[classes];
        for (var row = 0; row < rows; row++)
        {
            Combine(memberScores, weights, row, classes, combined);
            var max = TensorPrimitives.Max(combined);
            var sum = 0.0;
            foreach (var score in combined)
            {
                sum += Math.Exp(score - max);
            }

            total += Math.Log(sum) + max - combined[labels[row]];
        }

        return total / rows;
    }

    /// <summary>Calibrated probabilities for every held-out row (rows x classes).</summary>
    public static float[] Probabilities(IReadOnlyList<float[]> memberScores, int rows, int classes, IReadOnlyList<double> weights)
    {
        var probabilities = new float[rows * classes];
        var combined = new float[classes];
        for (var row = 0; row < rows; row++)
        {
            Combine(memberScores, weights, row, classes, combined);
            FixedOrderMath.SoftMax(combined, probabilities.AsSpan(row * classes, classes));
        }

        return probabilities;
    }

    private static void Combine(IReadOnlyList<float[]> memberScores, IReadOnlyList<double> weights, int row, int classes, Span<float> combined)
    {
        combined.Clear();
        for (var m = 0; m < memberScores.Count; m++)
        {
            TensorPrimitives.MultiplyAdd(memberScores[m].AsSpan(row * classes, classes), (float)weights[m], combined, combined);
        }
    }

    private static (double[] Gradient, double[,] Hessian) Derivatives(IReadOnlyList<float[]> memberScores, int[] labels,
        int classes, double[] weights)
    {
        var members = memberScores.Count;
        var gradient = new double[members];
        var hessian = new double[members, members];
        var combined = new float[classes];
        var probabilities = new float[classes];
        var expected = new double[members];
        for (var row = 0; row < labels.Length; row++)
        {
            Combine(memberScores, weights, row, classes, combined);
            FixedOrderMath.SoftMax(combined, probabilities);
            for (var m = 0; m < members; m++)
            {
                var scores = memberScores[m].AsSpan(row * classes, classes);
                expected[m] = FixedOrderMath.Dot(probabilities, scores);
                gradient[m] += expected[m] - scores[labels[row]];
            }

            for (var m = 0; m < members; m++)
            {
                for (var n = m; n < members; n++)
                {
                    var scoresM = memberScores[m].AsSpan(row * classes, classes);
                    var scoresN = memberScores[n].AsSpan(row * classes, classes);
                    var second = 0.0;
                    for (var k = 0; k < classes; k++)
                    {
                        second += probabilities[k] * scoresM[k] * scoresN[k];
                    }

                    hessian[m, n] += second - (expected[m] * expected[n]);
                }
            }
        }

        for (var m = 0; m < members; m++)
        {
            gradient[m] /= labels.Length;
            for (var n = m; n < members; n++)
            {
                hessian[m, n] /= labels.Length;
                hessian[n, m] = hessian[m, n];
            }
        }

        return (gradient, hessian);
    }

    /// <summary>Solves a small symmetric positive-definite system by Gaussian elimination with partial pivoting.</summary>
    internal static double[] Solve(double[,] matrix, double[] vector)
    {
        var n = vector.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])vector.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            if (pivot != col)
            {
                for (var k = 0; k < n; k++)
                {
                    (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                }

                (b[col], b[pivot]) = (b[pivot], b[col]);
            }

            for (var row = col + 1; row < n; row++)
            {
                var factor = a[row, col] / a[col, col];
                for (var k = col; k < n; k++)
                {
                    a[row, k] -= factor * a[col, k];
                }

                b[row] -= factor * b[col];
            }
        }

        var x = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = b[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * x[k];
            }

            x[row] = sum / a[row, row];
        }

        return x;
    }
}

/// <summary>Expected calibration error: the confidence-weighted gap between confidence and accuracy over equal-width bins.</summary>
public static class CalibrationError
{
    public static double Expected(IReadOnlyList<(double Confidence, bool Correct)> predictions, int bins = 15)
    {
        if (predictions.Count == 0)
        {
            return 0;
        }

        var count = new int[bins];
        var confidenceSum = new double[bins];
        var correctSum = new double[bins];
        foreach (var (confidence, correct) in predictions)
        {
            var bin = Math.Clamp((int)(confidence * bins), 0, bins - 1);
            count[bin]++;
            confidenceSum[bin] += confidence;
            correctSum[bin] += correct ? 1 : 0;
        }

        var error = 0.0;
        for (var bin = 0; bin < bins; bin++)
        {
            if (count[bin] > 0)
            {
                error += Math.Abs(correctSum[bin] - confidenceSum[bin]) / predictions.Count;
            }
        }

        return error;
    }
}
