using System.Runtime.InteropServices;
using Google.Protobuf;
using SupportConsole.Engine.Onnx.Proto;

namespace SupportConsole.Engine.Encoders;

/// <summary>How the encoder's matrix products run.</summary>
public enum EncoderPrecision
{
    /// <summary>The package's model as it ships: float32 everywhere.</summary>
    Float32,

    /// <summary>
    /// Weights of every constant matrix product in int8 (symmetric, one scale per output column), activations
    /// quantized on the fly (ONNX Runtime's <c>DynamicQuantizeMatMul</c>): about half the CPU of float32 on this
    /// machine's AVX2 cores, embeddings within cosine 0.98 of float32.
    /// </summary>
    Int8,
}

/// <summary>
/// Rewrites an encoder's ONNX model for <see cref="EncoderPrecision.Int8"/>. Pure arithmetic on the weights (no
/// calibration data, no tool outside this process), so the same package always gives the same bytes and the same
/// SHA-256.
/// </summary>
public static class EncoderQuantizer
{
    public const string Method = "int8 weights (symmetric, per output column) on every constant MatMul, activations quantized per call (DynamicQuantizeMatMul)";

    private const string ContribDomain = "com.microsoft";
    private const int FloatType = 1;
    private const int Int8Type = 3;

    /// <summary>The model with each <c>MatMul(x, W)</c> whose W is a float [K, N] initializer replaced; other nodes as they were.</summary>
    public static byte[] Quantize(byte[] model)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new EncoderModelException($"encoder model is not a readable ONNX file: {e.Message}", e);
        }

        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var quantized = new Dictionary<string, (string Weights, string Scales, string ZeroPoints)>(StringComparer.Ordinal);
        var replaced = 0;
        for (var n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            if (node.OpType != "MatMul" || node.Domain is not ("" or "ai.onnx") || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weights) || weights.Dims.Count != 2 || weights.DataType != FloatType)
            {
                continue;
            }

            if (!quantized.TryGetValue(weights.Name, out var names))
            {
                names = QuantizeWeights(weights, graph);
                quantized[weights.Name] = names;
            }

            var replacement = new NodeProto { Name = $"{node.Name}_int8", OpType = "DynamicQuantizeMatMul", Domain = ContribDomain };
            replacement.Input.Add(node.Input[0]);
            replacement.Input.Add(names.Weights);
            replacement.Input.Add(names.Scales);
            replacement.Input.Add(names.ZeroPoints);
            replacement.Output.Add(node.Output[0]);
            graph.Node[n] = replacement;
            replaced++;
        }

        if (replaced == 0)
        {
            throw new EncoderModelException("encoder model has no MatMul with a constant float weight matrix to quantize");
        }

        // The float weights no node reads any more are dropped, so the session does not hold both copies.
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(i => quantized.ContainsKey(i.Name) && !read.Contains(i.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }

        if (!proto.OpsetImport.Any(o => o.Domain == ContribDomain))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = ContribDomain, Version = 1 });
        }

        return proto.ToByteArray();
    }

    private static (string Weights, string Scales, string ZeroPoints) QuantizeWeights(TensorProto weights, GraphProto graph)
    {
        var rows = (int)weights.Dims[0];
        var columns = (int)weights.Dims[1];
        var values = weights.RawData.Length == rows * columns * sizeof(float)
            ? MemoryMarshal.Cast<byte, float>(weights.RawData.Span).ToArray()
            : [.. weights.FloatData];
        if (values.Length != rows * columns)
        {
            throw new EncoderModelException($"encoder initializer '{weights.Name}' holds {values.Length} values for [{rows}, {columns}]");
        }

        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(values[(r * columns) + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var levels = new byte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                levels[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(values[i] / scales[c]), -127f, 127f));
            }
        }

        var names = ($"{weights.Name}_int8", $"{weights.Name}_scale", $"{weights.Name}_zero_point");
        graph.Initializer.Add(Tensor(names.Item1, Int8Type, levels, rows, columns));
        graph.Initializer.Add(Tensor(names.Item2, FloatType, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray(), columns));
        graph.Initializer.Add(Tensor(names.Item3, Int8Type, new byte[columns], columns));
        return names;
    }

    private static TensorProto Tensor(string name, int dataType, byte[] raw, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = dataType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(dims);
        return tensor;
    }
}
