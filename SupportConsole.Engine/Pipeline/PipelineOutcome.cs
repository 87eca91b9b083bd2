using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Pipeline;

/// <summary>Everything the pipeline decided for one ticket, with the receipts of each stage.</summary>
public sealed record PipelineOutcome
{
    public required RoutePrediction Route { get; init; }

    public required string RouterVersion { get; init; }

    public double? CertificationThreshold { get; init; }

    /// <summary>The precision target whose certification rule applied.</summary>
    public double CertificationTarget { get; init; }

    public required IReadOnlyList<SourceHit> Sources { get; init; }

    public string? RetrievalIndexVersion { get; init; }

    public string? EmbedderVersion { get; init; }

    public DraftReply? Draft { get; init; }

    public DraftKind DraftKind { get; init; }

    public string? DraftModel { get; init; }

    public double? Groundedness { get; init; }

    public required GateDecision Gate { get; init; }

    public required IReadOnlyList<StageReceipt> Receipts { get; init; }

    public long CostNanosUsd => Receipts.Sum(r => r.CostNanosUsd);
}
