using System.Security.Cryptography;
using Google.Protobuf;
using SupportConsole.Engine.Onnx;
using SupportConsole.Engine.Routing;
using DataType = SupportConsole.Engine.Onnx.Proto.TensorProto.Types.DataType;

namespace SupportConsole.Engine.Retrieval;

/// <summary>
/// Builds the word-vector embedder as one ONNX graph: lower-case, split into words (the router's word pattern), look
/// up each word's (optionally frequency-weighted) vector, average, L2-normalise. Unknown words and padding read a zero row.
/// </summary>
public static class EmbedderGraphWriter
{
    /// <summary>The SIF constant used when none is given; chosen on the demo golden set (see <c>retrieval eval</c>).</summary>
    public const double DefaultSifA = 1e-4;

    /// <summary>
    /// The weight of the word at frequency rank <paramref name="rank"/> (0 = most frequent) out of
    /// <paramref name="words"/>: a / (a + p(w)) with p(w) estimated from the rank by Zipf's law; 1 without SIF.
    /// </summary>
    public static float Weight(int rank, int words, double? sifA)
    {
        if (sifA is not { } a)
        {
            return 1f;
        }

        var probability = 1.0 / ((rank + 1) * (Math.Log(words) + 0.5772));
        return (float)(a / (a + probability));
    }

    /// <summary>Writes embedder.onnx and embedder.json; <paramref name="words"/> are in frequency order (most frequent first).</summary>
    public static EmbedderCard Write(string directory, IReadOnlyList<string> words, IReadOnlyList<float[]> vectors, EmbedderSource source,
        double? sifA = DefaultSifA)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (words.Count == 0 || words.Count != vectors.Count)
        {
            throw new ArgumentException($"{words.Count} words for {vectors.Count} vectors", nameof(vectors));
        }

        if (sifA is <= 0)
        {
            throw new ArgumentException($"the SIF constant must be positive (is {sifA})", nameof(sifA));
        }

        var duplicate = words.GroupBy(w => w, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"word '{duplicate.Key}' appears {duplicate.Count()} times", nameof(words));
        }

        var dimensions = vectors[0].Length;
        // Row 0 is the zero row that unknown words and the tokenizer's padding read.
        var table = new float[(words.Count + 1) * dimensions];
        for (var i = 0; i < words.Count; i++)
        {
            if (vectors[i].Length != dimensions)
            {
                throw new ArgumentException($"vector of '{words[i]}' has {vectors[i].Length} dimensions, expected {dimensions}", nameof(vectors));
            }

            var weight = Weight(i, words.Count, sifA);
            for (var d = 0; d < dimensions; d++)
            {
                table[((i + 1) * dimensions) + d] = vectors[i][d] * weight;
            }
        }

        var bytes = Build(words, table, dimensions).ToByteArray();
        Directory.CreateDirectory(directory);
        var onnxPath = Path.Combine(directory, EmbedderCard.OnnxFileName);
        var cardPath = Path.Combine(directory, EmbedderCard.CardFileName);
        File.WriteAllBytes(onnxPath + ".tmp", bytes);
        File.Move(onnxPath + ".tmp", onnxPath, overwrite: true);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var card = new EmbedderCard
        {
            VersionId = $"embedder-{dimensions}d-{words.Count}w-{sha[..8]}",
            CreatedAt = DateTimeOffset.UtcNow,
            SourcePackage = source.Package,
            SourceVersion = source.Version,
            SourceLicence = source.Licence,
            Words = words.Count,
            Dimensions = dimensions,
            SifA = sifA,
            Weighting = sifA is null
                ? "mean of the known words' vectors, then L2-normalised"
                : $"SIF-weighted mean, weight a/(a+p(w)) with a={sifA} and p(w) from the frequency rank (Zipf), then L2-normalised",
            OnnxSha256 = sha,
            OnnxBytes = bytes.Length,
        };
        card.Save(cardPath);
        return card;
    }

    /// <summary>
    /// The graph. It sums the looked-up rows instead of averaging them: the mean's divisor (the number of words)
    /// cancels in the L2 normalisation, and padding and unknown words add zero rows, so the output is the normalised mean
    /// of the known words' vectors; a text without one is the zero vector.
    /// </summary>
    internal static Onnx.Proto.ModelProto Build(IReadOnlyList<string> words, float[] table, int dimensions)
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
        var sum = g.Node("ReduceSum", [vectors, g.Vector("axis_words", 1)], ("keepdims", 0L));
        var squares = g.Node("ReduceSum", [g.Node("Mul", [sum, sum]), g.Vector("axis_dimensions", -1)], ("keepdims", 1L));
        var norm = g.Node("Sqrt", [g.Node("Max", [squares, g.Scalar("norm_floor", 1e-12f)])]);
        g.Identity(g.Node("Div", [sum, norm]), EmbedderCard.OutputName);
        g.AddOutput(EmbedderCard.OutputName, DataType.Float, "N", dimensions);
        return g.ToModel(new Dictionary<string, string>(), (string.Empty, 21), (OnnxGraphBuilder.MlDomain, 3), (OnnxGraphBuilder.MicrosoftDomain, 1));
    }
}

/// <summary>Where an embedder's word vectors came from, for its card.</summary>
public sealed record EmbedderSource(string Package, string Version, string Licence);
