using SupportConsole.Engine.Numerics;

namespace SupportConsole.Engine.Routing.Cascade;

/// <summary>
/// Training tickets' unit vectors grouped by intent, for the out-of-scope check: the similarity of a ticket to its
/// predicted intent is the largest cosine to that intent's training tickets. Vectors are kept at half precision (the
/// form they are stored in), so training and inference see the same numbers.
/// </summary>
public sealed class NearestExamples
{
    private readonly float[][] _byIntent;

    public NearestExamples(int dimensions, int intents, IReadOnlyList<int> labels, ReadOnlySpan<Half> vectors)
    {
        Dimensions = dimensions;
        Labels = [.. labels];
        Vectors = vectors.ToArray();
        var counts = new int[intents];
        foreach (var label in labels)
        {
            counts[label]++;
        }

        _byIntent = [.. counts.Select(c => new float[c * dimensions])];
        var filled = new int[intents];
        for (var r = 0; r < labels.Count; r++)
        {
            var target = _byIntent[labels[r]].AsSpan(filled[labels[r]]++ * dimensions, dimensions);
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(vectors.Slice(r * dimensions, dimensions), target);
        }
    }

    public int Dimensions { get; }

    /// <summary>The intent of each stored vector, in storage order.</summary>
    public int[] Labels { get; }

    /// <summary>The stored vectors, rows x dimensions.</summary>
    public Half[] Vectors { get; }

    public static Half[] ToHalf(ReadOnlySpan<float> vectors)
    {
        var half = new Half[vectors.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertToHalf(vectors, half);
        return half;
    }

    /// <summary>Largest cosine between <paramref name="vector"/> (unit length) and the training tickets of <paramref name="intent"/>; -1 when it has none.</summary>
    public double Similarity(int intent, ReadOnlySpan<float> vector)
    {
        var rows = _byIntent[intent];
        var best = -1f;
        for (var offset = 0; offset < rows.Length; offset += Dimensions)
        {
            best = Math.Max(best, FixedOrderMath.Dot(rows.AsSpan(offset, Dimensions), vector));
        }

        return best;
    }
}
