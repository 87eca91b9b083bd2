using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Onnx;
using DataType = SupportConsole.Engine.Routing.Onnx.Proto.TensorProto.Types.DataType;

namespace SupportConsole.Engine.Retrieval;

/// <summary>Turns texts into L2-normalised vectors (rows x dimensions) for dense retrieval.</summary>
public interface ITextEmbedder
{
    int Dimensions { get; }

    string VersionId { get; }

    float[] Embed(IReadOnlyList<string> texts);
}

/// <summary>The card beside <c>embedder.onnx</c>: where the vectors came from and what the file is.</summary>
public sealed record EmbedderCard
{
    public const string OnnxFileName = "embedder.onnx";
    public const string CardFileName = "embedder.json";
    public const string InputName = "text";
    public const string OutputName = "embedding";

    public required string VersionId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string Source { get; init; }

    public required string SourceLicence { get; init; }

    public int Words { get; init; }

    public int Dimensions { get; init; }

    public required string Weighting { get; init; }

    public required string OnnxSha256 { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary>A model the embedder cannot use: missing, corrupt or inconsistent files.</summary>
public sealed class EmbedderModelException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Builds the word-vector embedder as one ONNX graph: lower-case, split into words (the router's word pattern), look
/// up each word's (frequency-weighted) vector, sum, L2-normalise. Unknown words and padding read a zero row.
/// </summary>
public static class EmbedderGraphWriter
{
    /// <summary>SIF weight a / (a + p(w)): very frequent words count little.</summary>
    public const double SmoothInverseFrequency = 1e-3;

    /// <summary>Writes embedder.onnx and embedder.json; <paramref name="words"/> are in frequency order (most frequent first).</summary>
    public static EmbedderCard Write(string directory, IReadOnlyList<string> words, IReadOnlyList<float[]> vectors, string source, string licence)
    {
        if (words.Count == 0 || words.Count != vectors.Count)
        {
            throw new ArgumentException($"{words.Count} words for {vectors.Count} vectors", nameof(vectors));
        }

        var dimensions = vectors[0].Length;
        var table = new float[(words.Count + 1) * dimensions];
        var harmonic = Math.Log(words.Count) + 0.5772;
        for (var i = 0; i < words.Count; i++)
        {
            if (vectors[i].Length != dimensions)
            {
                throw new ArgumentException($"vector of '{words[i]}' has {vectors[i].Length} dimensions, expected {dimensions}", nameof(vectors));
            }

            // Zipf's law estimates the word's probability from its frequency rank.
            var probability = 1.0 / ((i + 1) * harmonic);
            var weight = (float)(SmoothInverseFrequency / (SmoothInverseFrequency + probability));
            for (var d = 0; d < dimensions; d++)
            {
                table[((i + 1) * dimensions) + d] = vectors[i][d] * weight;
            }
        }

        var bytes = Build(words, table, dimensions).ToByteArray();
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, EmbedderCard.OnnxFileName), bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var card = new EmbedderCard
        {
            VersionId = $"embedder-{dimensions}d-{words.Count}w-{sha[..8]}",
            CreatedAt = DateTimeOffset.UtcNow,
            Source = source,
            SourceLicence = licence,
            Words = words.Count,
            Dimensions = dimensions,
            Weighting = $"SIF a/(a+p(w)), a={SmoothInverseFrequency}, p(w) from frequency rank (Zipf); sum then L2-normalise",
            OnnxSha256 = sha,
        };
        File.WriteAllText(Path.Combine(directory, EmbedderCard.CardFileName), JsonSerializer.Serialize(card, EmbedderCard.Json));
        return card;
    }

    internal static Routing.Onnx.Proto.ModelProto Build(IReadOnlyList<string> words, float[] table, int dimensions)
    {
        var g = new OnnxGraphBuilder("supportconsole_embedder");
        g.AddInput(EmbedderCard.InputName, DataType.String, "N");
        var lower = g.Node("StringNormalizer", [EmbedderCard.InputName], ("case_change_action", "LOWER"), ("is_case_sensitive", 0L), ("locale", "C.UTF-8"));
        var tokens = g.NodeInDomain(OnnxGraphBuilder.MicrosoftDomain, "Tokenizer", [lower],
            ("mark", 0L), ("mincharnum", 1L), ("pad_value", "#"), ("tokenexp", RouterGraphWriterConstants.WordPattern));
        var rows = g.NodeInDomain(OnnxGraphBuilder.MlDomain, "LabelEncoder", [tokens],
            ("keys_strings", words.ToArray()),
            ("values_int64s", Enumerable.Range(1, words.Count).Select(i => (long)i).ToArray()),
            ("default_int64", 0L));
        var vectors = g.Node("Gather", [g.Initializer("word_vectors", table, words.Count + 1, dimensions), rows]);
        var sum = g.Node("ReduceSum", [vectors, g.Vector("axis_1", 1)], ("keepdims", 0L));
        var norm = g.Node("Sqrt", [g.Node("Max", [g.Node("ReduceSum", [g.Node("Mul", [sum, sum]), g.Vector("last_axis", -1)], ("keepdims", 1L)),
            g.Scalar("floor", 1e-12f)])]);
        g.Identity(g.Node("Div", [sum, norm]), EmbedderCard.OutputName);
        g.AddOutput(EmbedderCard.OutputName, DataType.Float, "N", dimensions);
        return g.ToModel(new Dictionary<string, string>(), (string.Empty, 21), (OnnxGraphBuilder.MlDomain, 3), (OnnxGraphBuilder.MicrosoftDomain, 1));
    }
}

/// <summary>The ONNX Runtime embedder: one session for the life of the object, checked against its card when loaded.</summary>
public sealed class OnnxTextEmbedder : ITextEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames = [EmbedderCard.InputName];
    private readonly string[] _outputNames = [EmbedderCard.OutputName];

    private OnnxTextEmbedder(InferenceSession session, EmbedderCard card)
    {
        _session = session;
        Card = card;
    }

    public EmbedderCard Card { get; }

    public int Dimensions => Card.Dimensions;

    public string VersionId => Card.VersionId;

    public static OnnxTextEmbedder Load(string directory)
    {
        var cardPath = Path.Combine(directory, EmbedderCard.CardFileName);
        var onnxPath = Path.Combine(directory, EmbedderCard.OnnxFileName);
        if (!File.Exists(cardPath) || !File.Exists(onnxPath))
        {
            throw new EmbedderModelException($"embedder not found: {directory} needs {EmbedderCard.OnnxFileName} and {EmbedderCard.CardFileName}");
        }

        EmbedderCard card;
        try
        {
            card = JsonSerializer.Deserialize<EmbedderCard>(File.ReadAllText(cardPath), EmbedderCard.Json)
                ?? throw new EmbedderModelException($"embedder card {cardPath} is empty");
        }
        catch (JsonException e)
        {
            throw new EmbedderModelException($"embedder card {cardPath} is not valid JSON: {e.Message}", e);
        }

        var bytes = File.ReadAllBytes(onnxPath);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), card.OnnxSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new EmbedderModelException($"embedder {onnxPath} does not match its card (sha256 differs)");
        }

        InferenceSession session;
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            session = new InferenceSession(bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EmbedderModelException($"embedder {onnxPath} cannot be loaded by ONNX Runtime: {e.Message}", e);
        }

        if (!session.InputMetadata.ContainsKey(EmbedderCard.InputName)
            || !session.OutputMetadata.TryGetValue(EmbedderCard.OutputName, out var output)
            || output.Dimensions.Length != 2 || output.Dimensions[1] != card.Dimensions)
        {
            session.Dispose();
            throw new EmbedderModelException(
                $"embedder {onnxPath} must map '{EmbedderCard.InputName}' [N] to '{EmbedderCard.OutputName}' [N, {card.Dimensions}]");
        }

        return new OnnxTextEmbedder(session, card);
    }

    public float[] Embed(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        using var value = OrtValue.CreateFromStringTensor(new DenseTensor<string>(texts.ToArray(), [texts.Count]));
        using var run = new RunOptions();
        using var outputs = _session.Run(run, _inputNames, [value], _outputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
