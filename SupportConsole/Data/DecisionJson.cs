using System.Text.Json;
using System.Text.Json.Serialization;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Retrieval;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Data;

/// <summary>
/// The lists that explain a decision (the gate's reasons, the retrieved sources, the router's runner-ups), stored as JSON
/// on the decision row. The API answers a new ticket from these objects; a stored one is read back from its row.
/// </summary>
public sealed record DecisionLists(IReadOnlyList<DecisionReason> Reasons, IReadOnlyList<SourceHit> Sources, IReadOnlyList<IntentScore> TopIntents)
{
    /// <summary>The lists as stored on <paramref name="decision"/>.</summary>
    public static DecisionLists Read(Decision decision) => new(
        JsonSerializer.Deserialize(decision.ReasonsJson, DecisionJson.Default.IReadOnlyListDecisionReason) ?? [],
        JsonSerializer.Deserialize(decision.SourcesJson, DecisionJson.Default.IReadOnlyListSourceHit) ?? [],
        JsonSerializer.Deserialize(decision.TopIntentsJson, DecisionJson.Default.IReadOnlyListIntentScore) ?? []);
}

/// <summary>What the decision's audit event records (a follow-up's routing names its message).</summary>
internal sealed record DecidedDetails(string Band, string Intent, double Confidence, bool Certified, IEnumerable<string> Reasons, string Router,
    long PolicyVersion)
{
    public string? Priority { get; init; }

    public Guid? MessageId { get; init; }

    public bool FollowUp { get; init; }
}

/// <summary>What the audit event of a ticket the customer's reply opened again records.</summary>
internal sealed record ReopenedDetails(string From, Guid MessageId);

/// <summary>
/// Source-generated JSON (web defaults, as before) for what every decision stores: no reflection-based serializer per
/// ticket.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<DecisionReason>))]
[JsonSerializable(typeof(IReadOnlyList<SourceHit>))]
[JsonSerializable(typeof(IReadOnlyList<IntentScore>))]
[JsonSerializable(typeof(DecidedDetails))]
[JsonSerializable(typeof(ReopenedDetails))]
internal sealed partial class DecisionJson : JsonSerializerContext;
