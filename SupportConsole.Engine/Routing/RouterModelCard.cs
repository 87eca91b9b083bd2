using System.Text.Json;
using System.Text.Json.Serialization;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Engine.Routing;

/// <summary>The JSON card beside every router model: what it is, how it was made and what it promises.</summary>
public sealed record RouterModelCard
{
    public const string CurrentSchema = "supportconsole.router-card/1";
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
    public CertificationRule CertificationFor(double targetPrecision)
    {
        if (Math.Abs(targetPrecision - Certification.TargetPrecision) < 1e-9)
        {
            return Certification;
        }

        var rules = AlternativeCertifications.Append(Certification).OrderBy(r => r.TargetPrecision).ToList();
        return rules.FirstOrDefault(r => r.TargetPrecision >= targetPrecision - 1e-9) ?? rules[^1];
    }

    public required OnnxSummary Onnx { get; init; }

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

        if (card is null || card.Schema != CurrentSchema)
        {
            throw new RouterModelException($"router model card {path} has schema '{card?.Schema}', expected '{CurrentSchema}'");
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
