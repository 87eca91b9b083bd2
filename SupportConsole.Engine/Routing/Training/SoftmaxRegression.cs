using System.Numerics.Tensors;
using SupportConsole.Engine.Numerics;

namespace SupportConsole.Engine.Routing.Training;

/// <summary>A multinomial linear model over sparse features: weights laid out feature-major ([feature, class]).</summary>
internal sealed class LinearSoftmaxModel(int features, int classes)
{
    public int Features { get; } = features;

    public int Classes { get; } = classes;

    /// <summary>Weights then biases, one flat buffer so the optimiser sees a single parameter vector.</summary>
    public float[] Parameters { get; } = new float[(features * classes) + classes];

    public Span<float> Weights(int feature) => Parameters.AsSpan(feature * Classes, Classes);

    public Span<float> Bias => Parameters.AsSpan(Features * Classes, Classes);

    public void Scores(SparseMatrix x, int row, Span<float> scores)
    {
        Bias.CopyTo(scores);
        for (var k = x.RowStart[row]; k < x.RowStart[row + 1]; k++)
        {
            RowKernels.AddScaled(Weights(x.ColumnIndex[k]), x.Values[k], scores);
        }
    }

    /// <summary>Class scores for every row of <paramref name="x"/> (rows x classes), on the calling thread.</summary>
    public float[] Scores(SparseMatrix x)
    {
        var scores = new float[x.Rows * Classes];
        for (var row = 0; row < x.Rows; row++)
        {
            Scores(x, row, scores.AsSpan(row * Classes, Classes));
        }

        return scores;
    }
}

/// <summary>
/// Fits <see cref="LinearSoftmaxModel"/> by L-BFGS on mean cross-entropy plus an L2 penalty on the weights. It stops
/// when an iteration improves the loss by less than <paramref name="tolerance"/> of it. The defaults (1e-5, five
/// correction pairs) came from BANKING77: against 1e-6 and eight pairs they need about a fifth fewer iterations, each
/// streaming less history through memory, for the same held-out and test figures (decision 011).
/// </summary>
internal sealed class SoftmaxRegressionTrainer(double l2Penalty, int maxIterations = 300, double tolerance = 1e-5, int history = 5,
    int parallelism = 1)
{
    // Row losses are summed per fixed block of rows, then over the blocks: the order used since the fit ran the
    // blocks in parallel, so a model retrained on one thread is the same bit for bit.
    private const int RowBlocks = 32;

    public double L2Penalty { get; } = l2Penalty;

    public int IterationsRun { get; private set; }

    public double FinalLoss { get; private set; }

    public LinearSoftmaxModel Fit(SparseMatrix x, int[] labels, int classes, LinearSoftmaxModel? warmStart = null,
        CancellationToken cancellationToken = default)
    {
        if (labels.Length != x.Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {x.Rows} rows", nameof(labels));
        }

        var model = new LinearSoftmaxModel(x.Columns, classes);
        warmStart?.Parameters.CopyTo(model.Parameters, 0);
        var objective = new Objective(x, labels, classes, L2Penalty, parallelism);
        Minimise(objective, model.Parameters, cancellationToken);
        return model;
    }

    private void Minimise(Objective objective, float[] parameters, CancellationToken cancellationToken)
    {
        var n = parameters.Length;
        var gradient = new float[n];
        var loss = objective.Evaluate(parameters, gradient);
        var direction = new float[n];
        var candidate = new float[n];
        var candidateGradient = new float[n];
        var steps = new List<float[]>();
        var gradientChanges = new List<float[]>();
        var curvatures = new List<double>();
        var alphas = new double[history];

        for (IterationsRun = 0; IterationsRun < maxIterations; IterationsRun++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Two-loop recursion: direction = -H * gradient.
            gradient.CopyTo(direction, 0);
            for (var i = steps.Count - 1; i >= 0; i--)
            {
                alphas[i] = FixedOrderMath.Dot(steps[i], direction) / curvatures[i];
                TensorPrimitives.MultiplyAdd(gradientChanges[i], (float)-alphas[i], direction, direction);
            }

            if (steps.Count > 0)
            {
                var last = steps.Count - 1;
                var gamma = curvatures[last] / FixedOrderMath.Dot(gradientChanges[last], gradientChanges[last]);
                TensorPrimitives.Multiply(direction, (float)gamma, direction);
            }
            else
            {
                TensorPrimitives.Multiply(direction, (float)(1.0 / Math.Max(1.0, FixedOrderMath.Norm(gradient))), direction);
            }

            for (var i = 0; i < steps.Count; i++)
            {
                var beta = FixedOrderMath.Dot(gradientChanges[i], direction) / curvatures[i];
                TensorPrimitives.MultiplyAdd(steps[i], (float)(alphas[i] - beta), direction, direction);
            }

            TensorPrimitives.Negate(direction, direction);
            var slope = (double)FixedOrderMath.Dot(direction, gradient);
            if (slope >= 0)
            {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                steps.Clear();
                gradientChanges.Clear();
                curvatures.Clear();
                TensorPrimitives.Multiply(gradient, -1f / Math.Max(1f, FixedOrderMath.Norm(gradient)), direction);
                slope = FixedOrderMath.Dot(direction, gradient);
            }

            // Backtracking line search with the Armijo condition.
            var step = 1.0;
            double candidateLoss;
            while (true)
            {
                TensorPrimitives.MultiplyAdd(direction, (float)step, parameters, candidate);
                candidateLoss = objective.Evaluate(candidate, candidateGradient);
                if (candidateLoss <= loss + (1e-4 * step * slope) || step < 1e-10)
                {
                    break;
                }

                step *= 0.5;
            }

            var s = steps.Count == history ? steps[0] : new float[n];
            var y = gradientChanges.Count == history ? gradientChanges[0] : new float[n];
            if (steps.Count == history)
            {
                steps.RemoveAt(0);
                gradientChanges.RemoveAt(0);
                curvatures.RemoveAt(0);
            }

            TensorPrimitives.Subtract(candidate, parameters, s);
            TensorPrimitives.Subtract(candidateGradient, gradient, y);
            var curvature = (double)FixedOrderMath.Dot(s, y);
            if (curvature > 1e-12)
            {
                steps.Add(s);
                gradientChanges.Add(y);
                curvatures.Add(curvature);
            }

            var improvement = loss - candidateLoss;
            candidate.CopyTo(parameters, 0);
            candidateGradient.CopyTo(gradient, 0);
            loss = candidateLoss;
            if (improvement >= 0 && improvement <= tolerance * Math.Max(1.0, Math.Abs(loss)))
            {
                IterationsRun++;
                break;
            }
        }

        FinalLoss = loss;
    }

    /// <summary>
    /// Mean cross-entropy over rows plus (l2 / 2) * |W|^2, and its gradient. With <paramref name="parallelism"/> above 1
    /// the row blocks and then the features are shared out between threads; every sum keeps its order, so the result
    /// is the same bit for bit.
    /// </summary>
    private sealed class Objective(SparseMatrix x, int[] labels, int classes, double l2, int parallelism)
    {
        private readonly float[] _rowGradients = new float[x.Rows * classes];
        private readonly double[] _blockLosses = new double[RowBlocks];
        private readonly bool _dense = IsDense(x);

        public double Evaluate(float[] parameters, float[] gradient)
        {
            var model = new ParameterView(parameters, x.Columns, classes);
            ForRanges(RowBlocks, (first, last) =>
            {
                var scores = new float[classes];
                for (var block = first; block < last; block++)
                {
                    _blockLosses[block] = BlockLoss(model, block, scores);
                }
            });

            var lossSum = 0.0;
            foreach (var blockLoss in _blockLosses)
            {
                lossSum += blockLoss;
            }

            ForRanges(x.Columns, (first, last) => WeightGradient(parameters, gradient, first, last));
            var biasGradient = gradient.AsSpan(x.Columns * classes, classes);
            biasGradient.Clear();
            for (var row = 0; row < x.Rows; row++)
            {
                TensorPrimitives.Add(biasGradient, _rowGradients.AsSpan(row * classes, classes), biasGradient);
            }

            var weights = parameters.AsSpan(0, x.Columns * classes);
            var penalty = 0.5 * l2 * FixedOrderMath.Dot(weights, weights);
            return (lossSum / x.Rows) + penalty;
        }

        /// <summary>One block's summed row losses; each row's gradient of the mean loss goes to its slot.</summary>
        private double BlockLoss(ParameterView model, int block, float[] scores)
        {
            var invRows = 1f / x.Rows;
            var (from, to) = RowBlock(block);
            var blockLoss = 0.0;
            for (var row = from; row < to; row++)
            {
                var rowScores = scores.AsSpan();
                model.Scores(x, row, rowScores);
                var max = TensorPrimitives.Max(rowScores);
                TensorPrimitives.Subtract(rowScores, max, rowScores);
                TensorPrimitives.Exp(rowScores, rowScores);
                var total = FixedOrderMath.Sum(rowScores);
                blockLoss += Math.Log(total) - Math.Log(Math.Max(rowScores[labels[row]], float.Epsilon));
                var rowGradient = _rowGradients.AsSpan(row * classes, classes);
                TensorPrimitives.Multiply(rowScores, invRows / total, rowGradient);
                rowGradient[labels[row]] -= invRows;
            }

            return blockLoss;
        }

        /// <summary>The weight gradient of features [first, last): the penalty, then every row's share in row order.</summary>
        private void WeightGradient(float[] parameters, float[] gradient, int first, int last)
        {
            var from = first * classes;
            var count = (last - first) * classes;
            TensorPrimitives.Multiply(parameters.AsSpan(from, count), (float)l2, gradient.AsSpan(from, count));
            if (_dense)
            {
                // Dense rows (embeddings): row by row, so the gradient (features x classes) stays in cache while the
                // row gradients stream once. Each weight still adds its rows in ascending order: the same sums.
                for (var row = 0; row < x.Rows; row++)
                {
                    var rowGradient = _rowGradients.AsSpan(row * classes, classes);
                    for (var feature = first; feature < last; feature++)
                    {
                        RowKernels.AddScaled(rowGradient, x.Values[x.RowStart[row] + feature], gradient.AsSpan(feature * classes, classes));
                    }
                }

                return;
            }

            for (var feature = first; feature < last; feature++)
            {
                var featureGradient = gradient.AsSpan(feature * classes, classes);
                for (var k = x.ColumnStart[feature]; k < x.ColumnStart[feature + 1]; k++)
                {
                    RowKernels.PrefetchAhead(_rowGradients, x.RowIndex, k, classes);
                    RowKernels.AddScaled(_rowGradients.AsSpan(x.RowIndex[k] * classes, classes), x.ColumnValues[k], featureGradient);
                }
            }
        }

        /// <summary>Runs <paramref name="body"/> on [0, count) cut into one contiguous range per thread.</summary>
        private void ForRanges(int count, Action<int, int> body)
        {
            if (parallelism <= 1)
            {
                body(0, count);
                return;
            }

            Parallel.For(0, parallelism, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                part => body((int)((long)count * part / parallelism), (int)((long)count * (part + 1) / parallelism)));
        }

        private (int From, int To) RowBlock(int block) =>
            ((int)((long)x.Rows * block / RowBlocks), (int)((long)x.Rows * (block + 1) / RowBlocks));

        /// <summary>Every row holds every column, in column order (an embedding matrix).</summary>
        private static bool IsDense(SparseMatrix x)
        {
            if (x.Values.Length != (long)x.Rows * x.Columns)
            {
                return false;
            }

            for (var row = 0; row < x.Rows; row++)
            {
                for (var column = 0; column < x.Columns; column++)
                {
                    if (x.ColumnIndex[x.RowStart[row] + column] != column)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    private readonly struct ParameterView(float[] parameters, int features, int classes)
    {
        public void Scores(SparseMatrix x, int row, Span<float> scores)
        {
            parameters.AsSpan(features * classes, classes).CopyTo(scores);
            for (var k = x.RowStart[row]; k < x.RowStart[row + 1]; k++)
            {
                RowKernels.PrefetchAhead(parameters, x.ColumnIndex, k, classes);
                RowKernels.AddScaled(parameters.AsSpan(x.ColumnIndex[k] * classes, classes), x.Values[k], scores);
            }
        }
    }
}
