using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Accounting;

/// <summary>Configuration section <c>Budgets</c>: where budget alerts go and the default warning level.</summary>
public sealed class BudgetOptions
{
    public const string SectionName = "Budgets";

    /// <summary>Webhook that receives budget alerts (POST JSON, header X-Message-Id, retried). Unset: alerts are only shown in the console.</summary>
    public Uri? AlertWebhookUrl { get; set; }

    /// <summary>Share of the monthly budget at which a new budget warns (managers can change it per customer).</summary>
    [Range(0.01, 1.0)]
    public double DefaultWarnAtShare { get; set; } = 0.8;
}
