using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Evaluation;

/// <summary>Configuration section <c>Evaluation</c>: the nightly golden-set run and when it raises an alert.</summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>The golden set (CSV with text, category, expected_band, expected_article, customer_id); relative to the app's folder.</summary>
    [Required]
    public string GoldenSetPath { get; set; } = "data/tenant/golden-set.csv";

    /// <summary>A run whose bad-answer rate of auto replies is above this raises an alert.</summary>
    [Range(0.0, 1.0)]
    public double BadAnswerBudget { get; set; } = 0.02;

    /// <summary>Where alerts are POSTed (JSON, header X-Message-Id, retried through the outbox). Unset: UI banner only.</summary>
    public Uri? AlertWebhookUrl { get; set; }
}
