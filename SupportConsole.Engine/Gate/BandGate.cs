using System.Globalization;
using SupportConsole.Engine.Accounting;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Gate;

/// <summary>What the gate looks at for one ticket.</summary>
public sealed record GateInput(
    RoutePrediction Route,
    double? CertificationThreshold,
    IntentPolicy? Policy,
    bool HasDraft,
    bool DraftFromCloud,
    double? Groundedness,
    IReadOnlyList<HardRuleDefinition> HardRulesFired,
    decimal CostSoFarUsd,
    GateSettings Settings)
{
    /// <summary>The customer's budget kept this uncertified ticket away from the cloud model.</summary>
    public bool CloudDeferralStopped { get; init; }

    public string? CloudDeferralStoppedDetail { get; init; }

    /// <summary>The customer's reply in a conversation: it goes to an agent, who sees the thread, never out on its own.</summary>
    public bool FollowUp { get; init; }

    /// <summary>The channel keeps the message from auto; an escalating hold hands it to a person.</summary>
    public ChannelHold? Hold { get; init; }
}

/// <summary>The gate's verdict: the band, the policy's band before the overrides, every reason that applied, and the priority.</summary>
public sealed record GateDecision(Band Band, Band PolicyBand, IReadOnlyList<DecisionReason> Reasons, TicketPriority Priority = TicketPriority.Normal);

/// <summary>
/// Band = per-intent policy and confidence thresholds, then the overrides in this order: hard rules escalate (and set
/// the priority; a safeguard means no draft at all); a follow-up in a conversation turns auto into suggest; a channel's
/// hold turns auto into suggest (or escalates, for unreadable mail); the kill switch turns auto into suggest;
/// groundedness under the floor turns auto into suggest; cost over the ceiling hands the ticket to a person. Every rule
/// that fired is kept as a reason.
/// </summary>
public static class BandGate
{
    /// <summary>Policy for an intent nobody configured: an agent looks at it.</summary>
    public static readonly IntentPolicy DefaultPolicy = new(Band.Suggest, 0.5, null);

    /// <summary>Reason code when a safeguard rule (a vulnerable customer) kept the engine from drafting.</summary>
    public const string SafeguardCode = "safeguard";

    /// <summary>Reason code when a follow-up in a conversation was kept from auto.</summary>
    public const string FollowUpCode = "follow-up";

    public static GateDecision Decide(GateInput input)
    {
        var reasons = new List<DecisionReason>();
        var policy = input.Policy ?? DefaultPolicy;
        var route = input.Route;
        var confidence = route.Confidence.ToString("0.000", CultureInfo.InvariantCulture);
        reasons.Add(new("policy", $"intent {route.Intent}: policy band {policy.Band.ToString().ToLowerInvariant()}"
            + (input.Policy is null ? " (no policy configured, default)" : string.Empty)));

        if (route.OutOfScopeScore is { } outOfScope)
        {
            // Which stage decided and how foreign the ticket looked: kept with every decision, so it explains itself.
            reasons.Add(new($"router-stage-{route.Stage}", (route.Stage == 1
                ? "stage 1 (n-gram router) decided alone"
                : "stage 2 (pretrained encoder) decided")
                + $"; out-of-scope score {outOfScope.ToString("0.000", CultureInfo.InvariantCulture)}"
                + (route.OutOfScope ? " (looks like none of the intent's training tickets)" : string.Empty)));
        }

        var band = policy.Band;
        if (band == Band.Auto)
        {
            if (!route.Certified)
            {
                band = Band.Suggest;
                reasons.Add(route.OutOfScope
                    ? new("out-of-scope", $"the ticket looks like none of the training tickets of intent {route.Intent}")
                    : new("not-certified", input.CertificationThreshold is { } t
                    ? $"confidence {confidence} is under the intent's certification threshold {t:0.000}"
                    : $"the router does not certify intent {route.Intent}"));
            }
            else if (policy.AutoThreshold is { } autoThreshold && route.Confidence < autoThreshold)
            {
                band = Band.Suggest;
                reasons.Add(new("below-auto-threshold", $"confidence {confidence} is under the auto threshold {autoThreshold:0.000}"));
            }
            else
            {
                reasons.Add(new("certified", $"confidence {confidence} is certified for intent {route.Intent}"));
            }
        }

        if (band == Band.Suggest && route.Confidence < policy.SuggestThreshold)
        {
            band = Band.Escalate;
            reasons.Add(new("below-suggest-threshold", $"confidence {confidence} is under the suggest threshold {policy.SuggestThreshold:0.000}"));
        }

        if (input.CloudDeferralStopped)
        {
            reasons.Add(new(CustomerLimits.CloudStoppedCode, input.CloudDeferralStoppedDetail
                ?? "the customer's monthly AI budget is spent and its rule stops deferring to the cloud model"));
        }

        var safeguard = input.HardRulesFired.Any(r => r.Safeguard);
        if (band != Band.Escalate && !input.HasDraft && !safeguard)
        {
            band = Band.Escalate;
            reasons.Add(new("no-draft", route.Certified
                ? "no approved template could be filled for this intent"
                : "uncertified and no cloud model drafted a reply"));
        }
        else if (input.DraftFromCloud && band == Band.Auto)
        {
            band = Band.Suggest;
            reasons.Add(new("cloud-draft", "a cloud-model draft always goes to an agent"));
        }

        var priority = TicketPriority.Normal;
        foreach (var rule in input.HardRulesFired)
        {
            band = Band.Escalate;
            priority = rule.Priority > priority ? rule.Priority : priority;
            reasons.Add(new($"hard-rule:{rule.Id}", rule.Description));
        }

        if (safeguard)
        {
            reasons.Add(new(SafeguardCode, "a safeguard fired: no reply was drafted, a person writes it"));
        }

        if (input.FollowUp && band == Band.Auto)
        {
            band = Band.Suggest;
            reasons.Add(new(FollowUpCode, "a reply in a conversation goes to an agent, who sees the whole thread"));
        }

        if (input.Hold is { } hold)
        {
            // Kept as a reason even when the band was no auto already: the decision says why it could not have been.
            band = hold.Escalate ? Band.Escalate : band == Band.Auto ? Band.Suggest : band;
            reasons.Add(new(hold.Code, hold.Detail));
        }

        if (input.Settings.KillSwitchEngaged && band == Band.Auto)
        {
            band = Band.Suggest;
            reasons.Add(new("kill-switch", "auto-resolve is paused by the kill switch"));
        }

        if (band == Band.Auto && (input.Groundedness ?? 0) < input.Settings.GroundednessFloor)
        {
            band = Band.Suggest;
            reasons.Add(new("groundedness-below-floor",
                $"groundedness {input.Groundedness ?? 0:0.000} is under the floor {input.Settings.GroundednessFloor:0.000}"));
        }

        if (input.CostSoFarUsd > input.Settings.CostCeilingUsd)
        {
            band = Band.Escalate;
            reasons.Add(new("cost-ceiling", $"cost {input.CostSoFarUsd:0.######} USD passed the ceiling {input.Settings.CostCeilingUsd:0.######} USD"));
        }

        return new GateDecision(band, policy.Band, reasons, priority);
    }
}
