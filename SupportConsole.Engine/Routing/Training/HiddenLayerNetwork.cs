using System.Numerics;
using System.Numerics.Tensors;
using SupportConsole.Engine.Numerics;

namespace SupportConsole.Engine.Routing.Training;

/// <summary>
/// One ReLU hidden layer over sparse n-gram features: hidden = relu(x * Embedding + HiddenBias),
/// scores = hidden * Output + OutputBias. The embedding is laid out feature-major so a ticket only reads
/// the rows of the n-grams it contains.
/// </summary>
internal sealed class HiddenLayerNetwork
{
    public HiddenLayerNetwork(int features, int hidden, int classes)
    {
        Features = features;
        Hidden = hidden;
        Classes = classes;
        Embedding = new float[features * hidden];
        HiddenBias = new float[hidden];
        Output = new float[hidden * classes];
        OutputBias = new float[classes];
    }

    public int Features { get; }

    public int Hidden { get; }

    public int Classes { get; }

    public float[] Embedding { get; }

    public float[] HiddenBias { get; }

    public float[] Output { get; }

    public float[] OutputBias { get; }

    public void HiddenActivations(SparseMatrix x, int row, Span<float> hidden)
    {
        HiddenBias.CopyTo(hidden);
        for (var k = x.RowStart[row]; k < x.RowStart[row + 1]; k++)
        {
            RowKernels.PrefetchAhead(Embedding, x.ColumnIndex, k, Hidden);
            RowKernels.AddScaled(Embedding.AsSpan(x.ColumnIndex[k] * Hidden, Hidden), x.Values[k], hidden);
        }

        TensorPrimitives.Max(hidden, 0f, hidden);
    }

    public void OutputScores(ReadOnlySpan<float> hidden, Span<float> scores)
    {
        OutputBias.CopyTo(scores);
        for (var j = 0; j < Hidden; j++)
        {
            if (hidden[j] != 0f)
            {
                RowKernels.AddScaled(Output.AsSpan(j * Classes, Classes), hidden[j], scores);
            }
        }
    }

    /// <summary>Class scores for every row of <paramref name="x"/> (rows x classes), on the calling thread.</summary>
    public float[] Scores(SparseMatrix x)
    {
        var scores = new float[x.Rows * Classes];
        var hidden = new float[Hidden];
        for (var row = 0; row < x.Rows; row++)
        {
            HiddenActivations(x, row, hidden);
            OutputScores(hidden, scores.AsSpan(row * Classes, Classes));
        }

        return scores;
    }
}

/// <summary>Hyper-parameters of <see cref="HiddenLayerNetworkTrainer"/>.</summary>
public sealed record HiddenLayerSettings
{
    public int Hidden { get; init; } = 128;

    public int MaxEpochs { get; init; } = 12;

    /// <summary>
    /// From this epoch on the network handed out is the running mean of the weights at the end of each epoch
    /// (stochastic weight averaging); 0 turns averaging off. The mean of nearby iterates ranks its answers better
    /// than any single one, at no cost at inference.
    /// </summary>
    public int AverageFromEpoch { get; init; } = 5;

    public int BatchSize { get; init; } = 64;

    public float LearningRate { get; init; } = 0.002f;

    public float Dropout { get; init; } = 0.2f;
}

/// <summary>
/// Trains <see cref="HiddenLayerNetwork"/> with Adam on mini-batches; embedding rows are updated lazily (only rows a
/// batch touched). Runs on the calling thread: <see cref="RouterTrainer"/> keeps the cores busy with whole fits.
/// </summary>
internal sealed class HiddenLayerNetworkTrainer(HiddenLayerSettings settings, int seed)
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    /// <summary>Touched embedding rows ahead whose weights and moments the Adam step asks for (three tables larger than L3 together).</summary>
    private const int AdamPrefetchDistance = 4;

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs. After each epoch <paramref name="afterEpoch"/> (if given) sees the
    /// network that would be returned if training stopped there (the weight average once averaging has started);
    /// the trainer uses it to pick the epoch count on validation data.
    /// </summary>
    public HiddenLayerNetwork Fit(SparseMatrix x, int[] labels, int classes, int epochs,
        Action<int, HiddenLayerNetwork>? afterEpoch = null, CancellationToken cancellationToken = default)
    {
        var hidden = settings.Hidden;
        var network = new HiddenLayerNetwork(x.Columns, hidden, classes);
        var random = new Random(seed);
        Initialise(network.Embedding, Math.Sqrt(6.0 / (64 + hidden)), random);
        Initialise(network.Output, Math.Sqrt(6.0 / (hidden + classes)), random);

        var embeddingMoments = new AdamMoments(network.Embedding.Length);
        var outputMoments = new AdamMoments(network.Output.Length);
        var hiddenBiasMoments = new AdamMoments(hidden);
        var outputBiasMoments = new AdamMoments(classes);
        var lastTouched = new int[x.Columns];
        var embeddingGradientSlot = new int[x.Columns];
        Array.Fill(embeddingGradientSlot, -1);

        var batchSize = settings.BatchSize;
        var activations = new float[hidden];
        var hiddenGradient = new float[hidden];
        var scoreGradient = new float[classes];
        var outputGradient = new float[network.Output.Length];
        var hiddenBiasGradient = new float[hidden];
        var outputBiasGradient = new float[classes];
        var touched = new List<int>();
        var embeddingGradients = new List<float[]>();
        var order = Enumerable.Range(0, x.Rows).ToArray();
        var keep = 1f - settings.Dropout;
        var step = 0;
        HiddenLayerNetwork? average = null;
        var averaged = 0;

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = Math.Min(batchSize, order.Length - start);
                step++;
                Array.Clear(outputGradient);
                Array.Clear(hiddenBiasGradient);
                Array.Clear(outputBiasGradient);
                touched.Clear();
                for (var b = 0; b < batch; b++)
                {
                    var row = order[start + b];
                    network.HiddenActivations(x, row, activations);
                    if (settings.Dropout > 0)
                    {
                        // Seeded per (step, slot): the same masks whatever the process.
                        var mask = new Random(MixSeed(seed, step, b));
                        for (var j = 0; j < hidden; j++)
                        {
                            activations[j] = mask.NextSingle() < settings.Dropout ? 0f : activations[j] / keep;
                        }
                    }

                    network.OutputScores(activations, scoreGradient);
                    FixedOrderMath.SoftMax(scoreGradient, scoreGradient);
                    scoreGradient[labels[row]] -= 1f;
                    TensorPrimitives.Multiply(scoreGradient, 1f / batch, scoreGradient);
                    for (var j = 0; j < hidden; j++)
                    {
                        // activations[j] > 0 means the unit was active and kept; dividing by keep undoes the dropout scale.
                        hiddenGradient[j] = activations[j] > 0f
                            ? FixedOrderMath.Dot(network.Output.AsSpan(j * classes, classes), scoreGradient) / keep
                            : 0f;
                    }

                    for (var j = 0; j < hidden; j++)
                    {
                        if (activations[j] != 0f)
                        {
                            RowKernels.AddScaled(scoreGradient, activations[j], outputGradient.AsSpan(j * classes, classes));
                        }
                    }

                    TensorPrimitives.Add(outputBiasGradient, scoreGradient, outputBiasGradient);
                    TensorPrimitives.Add(hiddenBiasGradient, hiddenGradient, hiddenBiasGradient);
                    for (var k = x.RowStart[row]; k < x.RowStart[row + 1]; k++)
                    {
                        var feature = x.ColumnIndex[k];
                        if (lastTouched[feature] != step)
                        {
                            lastTouched[feature] = step;
                            embeddingGradientSlot[feature] = touched.Count;
                            if (embeddingGradients.Count == touched.Count)
                            {
                                embeddingGradients.Add(new float[hidden]);
                            }

                            Array.Clear(embeddingGradients[touched.Count]);
                            touched.Add(feature);
                        }

                        RowKernels.AddScaled(hiddenGradient, x.Values[k], embeddingGradients[embeddingGradientSlot[feature]]);
                    }
                }

                var correction1 = 1f - MathF.Pow(Beta1, step);
                var correction2 = 1f - MathF.Pow(Beta2, step);
                var rate = settings.LearningRate;
                outputMoments.Update(network.Output, outputGradient, 0, rate, correction1, correction2);
                hiddenBiasMoments.Update(network.HiddenBias, hiddenBiasGradient, 0, rate, correction1, correction2);
                outputBiasMoments.Update(network.OutputBias, outputBiasGradient, 0, rate, correction1, correction2);
                for (var t = 0; t < touched.Count; t++)
                {
                    if (t + AdamPrefetchDistance < touched.Count)
                    {
                        var ahead = touched[t + AdamPrefetchDistance] * hidden;
                        RowKernels.Prefetch(network.Embedding.AsSpan(ahead, hidden));
                        embeddingMoments.Prefetch(ahead, hidden);
                    }

                    var feature = touched[t];
                    embeddingMoments.Update(network.Embedding.AsSpan(feature * hidden, hidden), embeddingGradients[t],
                        feature * hidden, rate, correction1, correction2);
                }
            }

            if (settings.AverageFromEpoch > 0 && epoch >= settings.AverageFromEpoch)
            {
                average ??= new HiddenLayerNetwork(x.Columns, hidden, classes);
                averaged++;
                Accumulate(average.Embedding, network.Embedding, averaged);
                Accumulate(average.HiddenBias, network.HiddenBias, averaged);
                Accumulate(average.Output, network.Output, averaged);
                Accumulate(average.OutputBias, network.OutputBias, averaged);
            }

            afterEpoch?.Invoke(epoch, average ?? network);
        }

        return average ?? network;
    }

    /// <summary>mean += (next - mean) / count: the running mean of the weights seen so far, updated in place.</summary>
    private static void Accumulate(float[] mean, float[] next, int count)
    {
        var scale = 1f / count;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(scale);
            for (; i <= mean.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var current = new Vector<float>(mean, i);
                (((new Vector<float>(next, i) - current) * factor) + current).CopyTo(mean, i);
            }
        }

        for (; i < mean.Length; i++)
        {
            mean[i] = ((next[i] - mean[i]) * scale) + mean[i];
        }
    }

    /// <summary>A stable hash of three integers (SplitMix64 finaliser); HashCode.Combine is randomised per process.</summary>
    private static int MixSeed(int seed, int step, int slot)
    {
        var z = ((ulong)(uint)seed << 40) ^ ((ulong)(uint)step << 16) ^ (uint)slot;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    private static void Initialise(float[] weights, double scale, Random random)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }
    }

    private sealed class AdamMoments(int size)
    {
        private readonly float[] _mean = new float[size];
        private readonly float[] _variance = new float[size];

        public void Prefetch(int offset, int length)
        {
            RowKernels.Prefetch(_mean.AsSpan(offset, length));
            RowKernels.Prefetch(_variance.AsSpan(offset, length));
        }

        public void Update(Span<float> weights, ReadOnlySpan<float> gradient, int offset, float rate, float correction1, float correction2)
        {
            var mean = _mean.AsSpan(offset, weights.Length);
            var variance = _variance.AsSpan(offset, weights.Length);
            // The vector loop and the tail round alike (reciprocal corrections, the same operation order), so the
            // weights do not depend on where the tail starts, that is on the CPU's vector width.
            var inverse1 = 1f / correction1;
            var inverse2 = 1f / correction2;
            var i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var width = Vector<float>.Count;
                var b1 = new Vector<float>(Beta1);
                var b2 = new Vector<float>(Beta2);
                var c1 = new Vector<float>(inverse1);
                var c2 = new Vector<float>(inverse2);
                var eps = new Vector<float>(Epsilon);
                var lr = new Vector<float>(rate);
                for (; i <= weights.Length - width; i += width)
                {
                    var g = new Vector<float>(gradient[i..]);
                    var m = (b1 * new Vector<float>(mean[i..])) + ((Vector<float>.One - b1) * g);
                    var v = (b2 * new Vector<float>(variance[i..])) + ((Vector<float>.One - b2) * g * g);
                    m.CopyTo(mean[i..]);
                    v.CopyTo(variance[i..]);
                    var w = new Vector<float>(weights[i..]) - (lr * (m * c1) / (Vector.SquareRoot(v * c2) + eps));
                    w.CopyTo(weights[i..]);
                }
            }

            for (; i < weights.Length; i++)
            {
                mean[i] = (Beta1 * mean[i]) + ((1f - Beta1) * gradient[i]);
                variance[i] = (Beta2 * variance[i]) + ((1f - Beta2) * gradient[i] * gradient[i]);
                weights[i] -= rate * (mean[i] * inverse1) / (MathF.Sqrt(variance[i] * inverse2) + Epsilon);
            }
        }
    }
}
