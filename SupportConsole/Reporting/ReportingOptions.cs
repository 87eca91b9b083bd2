using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Reporting;

/// <summary>
/// Configuration section <c>Reporting</c>: the counterfactual prices the cost dashboards compare the real spend with.
/// The defaults are the field's published figures (docs/decisions/006-cost-reporting.md).
/// </summary>
public sealed class ReportingOptions
{
    public const string SectionName = "Reporting";

    /// <summary>A frontier model's input price (USD per million tokens).</summary>
    [Range(0.0, 10_000.0)]
    public decimal FrontierInputUsdPerMillionTokens { get; set; } = 3m;

    [Range(0.0, 10_000.0)]
    public decimal FrontierOutputUsdPerMillionTokens { get; set; } = 15m;

    /// <summary>Tokens a frontier-model workflow reads per ticket (prompt, history, retrieved context).</summary>
    [Range(0, 10_000_000)]
    public int FrontierInputTokensPerTicket { get; set; } = 10_000;

    [Range(0, 10_000_000)]
    public int FrontierOutputTokensPerTicket { get; set; } = 1_200;

    /// <summary>What a packaged support-AI vendor charges per automated resolution (USD).</summary>
    [Range(0.0, 1_000.0)]
    public decimal VendorFeePerResolutionUsd { get; set; } = 0.99m;

    /// <summary>What one answer written by a person costs (USD), for the human cost avoided by auto-resolution.</summary>
    [Range(0.0, 10_000.0)]
    public decimal HumanAnswerCostUsd { get; set; } = 3.20m;

    /// <summary>A frontier model on one ticket: input and output tokens at the frontier prices ($0.048 by default).</summary>
    public decimal FrontierCostPerTicketUsd =>
        (FrontierInputTokensPerTicket * FrontierInputUsdPerMillionTokens / 1_000_000m)
        + (FrontierOutputTokensPerTicket * FrontierOutputUsdPerMillionTokens / 1_000_000m);
}
