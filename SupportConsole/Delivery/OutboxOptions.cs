using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Delivery;

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
