using System.Security.Cryptography;
using SupportConsole.Engine.Numerics;

namespace SupportConsole.Engine.Routing.Cascade;

/// <summary>
/// Stage 2's weights and the out-of-scope indexes, as one binary file beside the stage-1 graph: the encoder head
/// (a softmax regression on the embedding), the stacker's two weights, and the training tickets' vectors by intent in
/// the static space (stage 1's check) and the encoder's space (stage 2's check).
/// </summary>
public sealed class CascadeModel
{
    public const string FileName = "cascade.bin";
    private const int Magic = 0x31435343; // "CSC1"

    public required int Classes { get; init; }

    public required int Dimensions { get; init; }

    /// <summary>Head weights, dimensions x classes (row-major).</summary>
    public required float[] HeadWeights { get; init; }

    public required float[] HeadBias { get; init; }

    /// <summary>Stacker: combined scores = StageOneWeight * log p(stage 1) + HeadWeight * head scores, then softmax.</summary>
    public required double StageOneWeight { get; init; }

    public required double HeadWeight { get; init; }

    public required NearestExamples StaticExamples { get; init; }

    public required NearestExamples EncoderExamples { get; init; }

    /// <summary>Lower bound applied to stage 1's probabilities before the log, so a zero stays finite.</summary>
    public const float ProbabilityFloor = 1e-30f;

    /// <summary>Head scores for one embedding.</summary>
    public void HeadScores(ReadOnlySpan<float> embedding, Span<float> scores)
    {
        HeadBias.CopyTo(scores);
        for (var d = 0; d < Dimensions; d++)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(HeadWeights.AsSpan(d * Classes, Classes), embedding[d], scores, scores);
        }
    }

    /// <summary>The stacked, calibrated probabilities from stage 1's probabilities and the head's scores.</summary>
    public void Combine(ReadOnlySpan<float> stageOne, ReadOnlySpan<float> headScores, Span<float> probabilities)
    {
        for (var k = 0; k < Classes; k++)
        {
            probabilities[k] = (float)((StageOneWeight * Math.Log(Math.Max(stageOne[k], ProbabilityFloor))) + (HeadWeight * headScores[k]));
        }

        FixedOrderMath.SoftMax(probabilities, probabilities);
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Classes);
            writer.Write(Dimensions);
            writer.Write(StageOneWeight);
            writer.Write(HeadWeight);
            WriteFloats(writer, HeadWeights);
            WriteFloats(writer, HeadBias);
            WriteExamples(writer, StaticExamples);
            WriteExamples(writer, EncoderExamples);
        }

        return stream.ToArray();
    }

    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(ToBytes()));

    /// <summary>Reads the file written by <see cref="ToBytes"/>; anything else is a <see cref="RouterModelException"/>.</summary>
    public static CascadeModel FromBytes(byte[] bytes, string source)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadInt32() != Magic)
            {
                throw new RouterModelException($"{source} is not a stage-2 cascade file");
            }

            var classes = reader.ReadInt32();
            var dimensions = reader.ReadInt32();
            var stageOneWeight = reader.ReadDouble();
            var headWeight = reader.ReadDouble();
            var weights = ReadFloats(reader, dimensions * classes);
            var bias = ReadFloats(reader, classes);
            var staticExamples = ReadExamples(reader, classes);
            var encoderExamples = ReadExamples(reader, classes);
            if (encoderExamples.Dimensions != dimensions || reader.BaseStream.Position != bytes.Length)
            {
                throw new RouterModelException($"{source} is inconsistent (dimensions or length)");
            }

            return new CascadeModel
            {
                Classes = classes,
                Dimensions = dimensions,
                StageOneWeight = stageOneWeight,
                HeadWeight = headWeight,
                HeadWeights = weights,
                HeadBias = bias,
                StaticExamples = staticExamples,
                EncoderExamples = encoderExamples,
            };
        }
        catch (EndOfStreamException e)
        {
            throw new RouterModelException($"{source} is truncated", e);
        }
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader reader, int expected)
    {
        var count = reader.ReadInt32();
        if (count != expected)
        {
            throw new EndOfStreamException($"expected {expected} values, found {count}");
        }

        var values = new float[count];
        var bytes = reader.ReadBytes(count * 4);
        if (bytes.Length != count * 4)
        {
            throw new EndOfStreamException();
        }

        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        return values;
    }

    private static void WriteExamples(BinaryWriter writer, NearestExamples examples)
    {
        writer.Write(examples.Dimensions);
        writer.Write(examples.Labels.Length);
        foreach (var label in examples.Labels)
        {
            writer.Write(label);
        }

        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(examples.Vectors.AsSpan()));
    }

    private static NearestExamples ReadExamples(BinaryReader reader, int classes)
    {
        var dimensions = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (dimensions <= 0 || count < 0)
        {
            throw new EndOfStreamException("bad example header");
        }

        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = reader.ReadInt32();
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new EndOfStreamException($"example label {labels[i]} out of range");
            }
        }

        var bytes = reader.ReadBytes(count * dimensions * 2);
        if (bytes.Length != count * dimensions * 2)
        {
            throw new EndOfStreamException();
        }

        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes).ToArray();
        return new NearestExamples(dimensions, classes, labels, vectors);
    }
}
