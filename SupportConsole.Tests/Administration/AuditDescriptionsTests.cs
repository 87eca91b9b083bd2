using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Tickets;

namespace SupportConsole.Tests.Administration;

/// <summary>Audit events read as sentences: names and words, never JSON or enum numbers.</summary>
public sealed class AuditDescriptionsTests
{
    [Fact]
    public void APolicyChangeWrittenWithEnumNumbersReadsAsBandWords()
    {
        // As versions before this one wrote it: the band as a number.
        var description = Describe("policy.changed", "band-policy", "card_arrival",
            """{"before":{"Band":1,"SuggestThreshold":0.5,"AutoThreshold":null},"after":{"Band":0,"SuggestThreshold":0.5,"AutoThreshold":0.9}}""");

        Assert.Equal("Band policy changed", description.What);
        Assert.Equal("band suggest, suggest threshold 0.5, auto threshold certification only \u2192 band auto, suggest threshold 0.5, auto threshold 0.9",
            description.Details);
        Assert.DoesNotContain("{", description.Details);
    }

    [Fact]
    public void TheKillSwitchAndSettingsReadAsWhatTheyAre()
    {
        var engaged = Describe("setting.changed", "setting", SettingKeys.KillSwitch, """{"before":"off","after":"on","reason":"bad answers"}""");
        var floor = Describe("setting.changed", "setting", SettingKeys.GroundednessFloor, """{"before":"0.92","after":"0.95","reason":"changed on the Bands page"}""");

        Assert.Equal("Kill switch engaged (auto-resolve paused) because \u201cbad answers\u201d", engaged.Details);
        Assert.StartsWith("Groundedness floor: 0.92 \u2192 0.95", floor.Details);
        Assert.DoesNotContain("gate.", floor.Details);
    }

    [Fact]
    public void ARoutingEventNamesTheIntentBandRouterAndReasons()
    {
        var description = Describe("ticket.decided", "ticket", Guid.NewGuid().ToString(),
            """{"band":"Escalate","intent":"terminate_account","confidence":0.93,"certified":true,"reasons":["policy","hard-rule:account-closure"],"router":"r-2f4d","policyVersion":3,"priority":"High"}""");

        Assert.Equal("Ticket routed", description.What);
        Assert.Equal("intent terminate_account at 93 % (certified): escalate to a person, priority high; router r-2f4d, policy v3; reasons: policy, hard-rule:account-closure",
            description.Details);
    }

    [Fact]
    public void UnknownDetailsReadAsWordsNotJson()
    {
        var description = Describe("job.queued", "job-run", "1", """{"workKey":"nightly","kind":"golden-evaluation"}""");
        var other = Describe("something.new", "thing", "1", """{"workKey":"nightly","retries":2,"ok":true}""");

        Assert.Equal("golden-evaluation", description.Details);
        Assert.Equal("work key nightly, retries 2, ok yes", other.Details);
    }

    private static AuditDescription Describe(string action, string type, string id, string json) =>
        AuditDescriptions.Describe(AuditEvent.Record(DateTimeOffset.UnixEpoch, "manager@demo.example", action, type, id, json));
}
