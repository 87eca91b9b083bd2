using SupportConsole.Engine.Numerics;

namespace SupportConsole.Engine.Encoders;

/// <summary>
/// A static sentence vector for stage 1's out-of-scope check, at lookup cost: the encoder's own input word-piece
/// embeddings (its first layer, read from the ONNX file), averaged over a ticket's word pieces with a Zipf-like weight
/// (log of 1 + the vocabulary id; BERT's vocabulary is roughly ordered by frequency, so rare pieces weigh more) and
/// normalised. Only lookups, adds and fixed-order reductions: the same vector on every CPU.
/// </summary>
public sealed class StaticTokenTable
{
    public const string WordEmbeddingName = "embeddings.word_embeddings.weight";

    private readonly float[] _table;

    private StaticTokenTable(float[] table, int dimensions)
    {
        _table = table;
        Dimensions = dimensions;
        Rows = table.Length / dimensions;
    }

    public int Dimensions { get; }

    public int Rows { get; }

    /// <summary>Reads the word-piece embedding table out of the encoder's ONNX model.</summary>
    public static StaticTokenTable FromEncoderModel(byte[] model)
    {
        Onnx.Proto.ModelProto proto;
        try
        {
            proto = Onnx.Proto.ModelProto.Parser.ParseFrom(model);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new EncoderModelException($"encoder model is not a readable ONNX file: {e.Message}", e);
        }

        var tensor = proto.Graph.Initializer.FirstOrDefault(t => t.Name == WordEmbeddingName)
            ?? throw new EncoderModelException($"encoder model has no initializer '{WordEmbeddingName}'");
        if (tensor.Dims.Count != 2 || tensor.DataType != 1 || tensor.RawData.Length != tensor.Dims[0] * tensor.Dims[1] * 4)
        {
            throw new EncoderModelException($"encoder initializer '{WordEmbeddingName}' must be float [vocabulary, dimensions], found type {tensor.DataType} [{string.Join(",", tensor.Dims)}]");
        }

        var table = new float[tensor.Dims[0] * tensor.Dims[1]];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).CopyTo(table);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the encoder's raw tensor data is little-endian");
        }

        return new StaticTokenTable(table, (int)tensor.Dims[1]);
    }

    /// <summary>The normalised weighted mean of the word pieces' rows ([CLS] and [SEP] left out); zero for no pieces.</summary>
    public void Vector(ReadOnlySpan<long> tokens, Span<float> vector)
    {
        vector.Clear();
        var weight = 0.0;
        for (var t = 1; t < tokens.Length - 1; t++)
        {
            var id = (int)tokens[t];
            if ((uint)id >= (uint)Rows)
            {
                continue;
            }

            var w = (float)Math.Log(1.0 + id);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(_table.AsSpan(id * Dimensions, Dimensions), w, vector, vector);
            weight += w;
        }

        var norm = FixedOrderMath.Norm(vector);
        if (weight > 0 && norm > 0)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
