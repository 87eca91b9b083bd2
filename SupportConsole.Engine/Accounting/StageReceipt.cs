namespace SupportConsole.Engine.Accounting;

/// <summary>What one stage cost, for the receipt.</summary>
public sealed record StageReceipt(
    string Stage,
    string Model,
    string? ModelVersion,
    bool IsLocal,
    int InputTokens,
    int OutputTokens,
    double CpuMilliseconds,
    double LatencyMilliseconds,
    long CostNanosUsd);

/// <summary>Stage names, in pipeline order; receipts and spans use them.</summary>
public static class Stages
{
    public const string Ingest = "ingest";
    public const string Route = "route";
    public const string Retrieve = "retrieve";
    public const string Draft = "draft";
    public const string Gate = "gate";
    public const string Act = "act";

    private static readonly string[] Order = [Ingest, Route, Retrieve, Draft, Gate, Act];

    public static IReadOnlyList<string> InOrder => Order;

    /// <summary>Position of a stage in the pipeline (for sorting receipts); unknown stages sort last.</summary>
    public static int Position(string stage) => Array.IndexOf(Order, stage) is var i and >= 0 ? i : Order.Length;
}
