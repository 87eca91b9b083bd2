using SupportConsole.Engine.Gate;
using SupportConsole.Engine.Routing;

namespace SupportConsole.Tests.Pipeline;

public sealed class BandGateTests
{
    private static readonly GateSettings Settings = new(KillSwitchEngaged: false, GroundednessFloor: 0.92, CostCeilingUsd: 0.006m, TargetPrecision: 0.985);
    private static readonly HardRuleDefinition Legal = new("legal-threat", "Legal threats go to a person", "keywords", ["lawyer"], null);

    [Fact]
    public void CertifiedAutoIntentWithAGroundedDraftIsAutoResolved()
    {
        var decision = BandGate.Decide(Input());

        Assert.Equal(Band.Auto, decision.Band);
        Assert.Equal(["policy", "certified"], decision.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void AChannelsHoldTurnsAutoIntoSuggestAndSaysWhy()
    {
        var hold = new ChannelHold("automatic-mail", "no auto reply to machine mail", Escalate: false);

        var decision = BandGate.Decide(Input() with { Hold = hold });

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Equal(["policy", "certified", "automatic-mail"], decision.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void AnEscalatingHoldHandsTheTicketToAPersonAndAHoldIsAReasonEvenWhenTheBandWasSuggestAlready()
    {
        var unreadable = BandGate.Decide(Input() with { Hold = new ChannelHold("unreadable-mail", "could not be read", Escalate: true) });
        var suggested = BandGate.Decide(Input(certified: false, hasDraft: true) with { Hold = new ChannelHold("stale-mail", "sent long ago", Escalate: false) });

        Assert.Equal(Band.Escalate, unreadable.Band);
        Assert.Contains(unreadable.Reasons, r => r.Code == "unreadable-mail");
        Assert.Equal(Band.Suggest, suggested.Band);
        Assert.Contains(suggested.Reasons, r => r.Code == "stale-mail");
    }

    [Fact]
    public void UncertifiedAutoIntentIsSuggested()
    {
        var decision = BandGate.Decide(Input(certified: false, hasDraft: true));

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "not-certified");
    }

    [Fact]
    public void ConfidenceUnderTheAutoThresholdIsSuggested()
    {
        var decision = BandGate.Decide(Input(policy: new IntentPolicy(Band.Auto, 0.5, AutoThreshold: 0.995)));

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "below-auto-threshold");
    }

    [Fact]
    public void ConfidenceUnderTheSuggestThresholdIsEscalated()
    {
        var decision = BandGate.Decide(Input(confidence: 0.3, certified: false, policy: new IntentPolicy(Band.Suggest, 0.5, null)));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "below-suggest-threshold");
    }

    [Fact]
    public void NoDraftMeansAPersonAnswers()
    {
        var decision = BandGate.Decide(Input(certified: false, hasDraft: false, policy: new IntentPolicy(Band.Suggest, 0.5, null)));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "no-draft");
    }

    [Fact]
    public void CloudDraftsAreNeverSentAutomatically()
    {
        var decision = BandGate.Decide(Input(fromCloud: true));

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "cloud-draft");
    }

    [Fact]
    public void HardRuleEscalatesEvenACertifiedAutoTicket()
    {
        var decision = BandGate.Decide(Input(hardRules: [Legal]));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.Equal("hard-rule:legal-threat", decision.Reasons.Last().Code);
    }

    [Fact]
    public void KillSwitchTurnsAutoIntoSuggest()
    {
        var decision = BandGate.Decide(Input(settings: Settings with { KillSwitchEngaged = true }));

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "kill-switch");
    }

    [Fact]
    public void KillSwitchLeavesEscalationsAlone()
    {
        var decision = BandGate.Decide(Input(hardRules: [Legal], settings: Settings with { KillSwitchEngaged = true }));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.DoesNotContain(decision.Reasons, r => r.Code == "kill-switch");
    }

    [Fact]
    public void GroundednessUnderTheFloorTurnsAutoIntoSuggest()
    {
        var decision = BandGate.Decide(Input(groundedness: 0.5));

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == "groundedness-below-floor");
    }

    [Fact]
    public void CostOverTheCeilingHandsTheTicketToAPerson()
    {
        var decision = BandGate.Decide(Input(cost: 0.01m));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.Equal("cost-ceiling", decision.Reasons.Last().Code);
    }

    [Fact]
    public void OverridesApplyInOrderAndAllAreRecorded()
    {
        var decision = BandGate.Decide(Input(groundedness: 0.1, hardRules: [Legal], cost: 1m, settings: Settings with { KillSwitchEngaged = true }));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.Equal(Band.Auto, decision.PolicyBand);
        Assert.Equal(["policy", "certified", "hard-rule:legal-threat", "cost-ceiling"], decision.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void ASafeguardEscalatesACertifiedAutoTicketAsUrgentWithoutClaimingAMissingTemplate()
    {
        var safeguard = new HardRuleDefinition("vulnerable-customer", "A vulnerable customer", "keywords", ["suicide"], null)
        {
            Priority = TicketPriority.Urgent,
            Safeguard = true,
        };

        var decision = BandGate.Decide(Input(hasDraft: false, hardRules: [Legal with { Priority = TicketPriority.High }, safeguard]));

        Assert.Equal(Band.Escalate, decision.Band);
        Assert.Equal(TicketPriority.Urgent, decision.Priority);
        Assert.Equal(["policy", "certified", "hard-rule:legal-threat", "hard-rule:vulnerable-customer", BandGate.SafeguardCode], decision.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void TheHighestPriorityOfTheRulesThatFiredWinsAndNoRuleMeansNormal()
    {
        Assert.Equal(TicketPriority.High, BandGate.Decide(Input(hardRules: [Legal with { Priority = TicketPriority.High }])).Priority);
        Assert.Equal(TicketPriority.Normal, BandGate.Decide(Input()).Priority);
    }

    [Fact]
    public void AFollowUpInAConversationIsNeverAnsweredAutomatically()
    {
        var decision = BandGate.Decide(Input() with { FollowUp = true });

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains(decision.Reasons, r => r.Code == BandGate.FollowUpCode);
    }

    [Fact]
    public void UnconfiguredIntentDefaultsToSuggest()
    {
        var decision = BandGate.Decide(Input(policy: null) with { Policy = null });

        Assert.Equal(Band.Suggest, decision.Band);
        Assert.Contains("default", decision.Reasons[0].Detail);
    }

    private static GateInput Input(
        double confidence = 0.99,
        bool certified = true,
        IntentPolicy? policy = null,
        bool hasDraft = true,
        bool fromCloud = false,
        double groundedness = 1.0,
        IReadOnlyList<HardRuleDefinition>? hardRules = null,
        decimal cost = 0.000001m,
        GateSettings? settings = null) => new(
            new RoutePrediction("card_arrival", confidence, certified, [new IntentScore("card_arrival", confidence)]),
            0.9,
            policy ?? new IntentPolicy(Band.Auto, 0.5, null),
            hasDraft,
            fromCloud,
            groundedness,
            hardRules ?? [],
            cost,
            settings ?? Settings);
}
