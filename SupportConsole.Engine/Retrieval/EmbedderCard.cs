using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupportConsole.Engine.Retrieval;

/// <summary>The card beside <c>embedder.onnx</c>: where the vectors came from and what the file is.</summary>
public sealed record EmbedderCard
{
    public const string CurrentSchema = "supportconsole.embedder/1";
    public const string OnnxFileName = "embedder.onnx";
    public const string CardFileName = "embedder.json";
    public const string InputName = "text";
    public const string OutputName = "embedding";

    public string Schema { get; init; } = CurrentSchema;

    public required string VersionId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The npm package the vectors came from.</summary>
    public required string SourcePackage { get; init; }

    public required string SourceVersion { get; init; }

    public required string SourceLicence { get; init; }

    public required int Words { get; init; }

    public required int Dimensions { get; init; }

    /// <summary>The SIF constant a of the word weight a / (a + p(w)); null when every word weighs the same.</summary>
    public double? SifA { get; init; }

    public required string Weighting { get; init; }

    public required string OnnxSha256 { get; init; }

    public long OnnxBytes { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads and checks a card; any problem is an <see cref="EmbedderModelException"/> naming the file.</summary>
    public static EmbedderCard Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new EmbedderModelException($"embedder card not found: {path}");
        }

        EmbedderCard? card;
        try
        {
            card = JsonSerializer.Deserialize<EmbedderCard>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new EmbedderModelException($"embedder card {path} is not a valid card: {e.Message}", e);
        }

        if (card is null || card.Schema != CurrentSchema)
        {
            throw new EmbedderModelException($"embedder card {path} has schema '{card?.Schema}', expected '{CurrentSchema}'");
        }

        if (card.Dimensions < 1 || card.Words < 1 || card.OnnxSha256.Length != 64)
        {
            throw new EmbedderModelException(
                $"embedder card {path} is incomplete: {card.Words} words, {card.Dimensions} dimensions, sha256 '{card.OnnxSha256}'");
        }

        return card;
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>A model the embedder cannot use: missing, corrupt or inconsistent files.</summary>
public sealed class EmbedderModelException(string message, Exception? inner = null) : Exception(message, inner);
