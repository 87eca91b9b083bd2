using SupportConsole.Engine.Drafting;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Engine.Pipeline;

/// <summary>A stored ticket as the engine sees it.</summary>
public sealed record TicketRequest(Guid TicketId, string Channel, string CustomerId, string? Subject, string Body)
{
    /// <summary>The customer's reply in a conversation that already had a decision (routed again on its own text).</summary>
    public bool FollowUp { get; init; }

    /// <summary>The channel's reason to keep this message from an auto reply (automatic mail, a reply limit); null: none.</summary>
    public ChannelHold? Hold { get; init; }

    /// <summary>Subject and body as one text, the way the router and retrieval read a ticket.</summary>
    public string Text => string.IsNullOrWhiteSpace(Subject) ? Body : $"{Subject}\n{Body}";
}

/// <summary>Everything policy-like the pipeline needs for one ticket, read from the database as of one version.</summary>
public sealed record PolicySnapshot(
    long Version,
    IReadOnlyDictionary<string, IntentPolicy> Policies,
    IReadOnlyList<HardRuleDefinition> HardRules,
    IReadOnlyDictionary<string, ReplyTemplateDefinition> Templates,
    GateSettings Gate);
