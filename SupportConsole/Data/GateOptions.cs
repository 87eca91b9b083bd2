using System.ComponentModel.DataAnnotations;

namespace SupportConsole.Data;

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
