using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Ingest;

/// <summary>Configuration section <c>Costs</c>: the price table that turns work into money.</summary>
public sealed class CostOptions
{
    public const string SectionName = "Costs";

    /// <summary>What one CPU core-hour of this machine costs (USD).</summary>
    [Range(0.0, 100.0)]
    public decimal LocalCpuUsdPerCoreHour { get; set; } = 0.05m;
}
