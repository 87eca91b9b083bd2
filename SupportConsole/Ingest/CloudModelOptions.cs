using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Ingest;

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
