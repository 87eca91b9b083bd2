using System.Globalization;
using System.Text.Json;
using SupportConsole.Accounting;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Tickets;

/// <summary>One audit event as people read it: what happened, in words, and the details that matter.</summary>
public sealed record AuditDescription(string What, string? Details);

/// <summary>
/// Turns audit events into sentences for the audit log and a ticket's history: names and words instead of JSON, enum
/// numbers and setting keys. Details written by older versions (enums as numbers) read the same.
/// </summary>
public static class AuditDescriptions
{
    /// <summary>The routing events every ticket has (two per ticket): the audit log hides them unless asked.</summary>
    public static readonly IReadOnlyList<string> RoutingActions = ["ticket.ingested", "ticket.decided"];

    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["ticket.ingested"] = "Ticket received",
        ["ticket.decided"] = "Ticket routed",
        ["ticket.rerouted"] = "Follow-up routed",
        ["message.received"] = "Customer wrote again",
        ["ticket.reopened"] = "Ticket reopened",
        ["ticket.sent"] = "Reply sent",
        ["draft.rejected"] = "Draft rejected",
        ["ticket.escalated"] = "Escalated",
        ["ticket.solved"] = "Solved",
        ["ticket.closed"] = "Closed",
        ["ticket.assigned"] = "Assigned",
        ["ticket.unassigned"] = "Unassigned",
        ["intent.corrected"] = "Intent corrected",
        ["note.added"] = "Internal note",
        ["second-opinion.recorded"] = "Second opinion",
        ["setting.changed"] = "Setting changed",
        ["policy.changed"] = "Band policy changed",
        ["hard-rule.enabled"] = "Hard rule switched on",
        ["hard-rule.disabled"] = "Hard rule switched off",
        ["hard-rule.installed"] = "Safeguard installed",
        ["kb.saved"] = "Article published",
        ["kb.published"] = "Article published",
        ["kb.draft-saved"] = "Article draft saved",
        ["kb.draft-discarded"] = "Article draft discarded",
        ["kb.reverted"] = "Article reverted",
        ["user.created"] = "User added",
        ["user.role-changed"] = "Role changed",
        ["user.password-reset"] = "Password reset",
        ["api-key.created"] = "API key created",
        ["api-key.revoked"] = "API key revoked",
        ["budget.changed"] = "Budget set",
        ["budget.removed"] = "Budget removed",
        ["router.registered"] = "Router model registered",
        ["router.rejected"] = "Router candidate rejected",
        ["router.activated"] = "Router model activated",
        ["evaluation.completed"] = "Golden-set evaluation",
        ["job.queued"] = "Job queued",
        ["job.succeeded"] = "Job finished",
        ["job.failed"] = "Job failed",
        ["job.cancelled"] = "Job cancelled",
        ["job.cancel-requested"] = "Job cancel requested",
        ["tenant.seeded"] = "Demo tenant loaded",
        ["tickets.imported"] = "Historical tickets imported",
        ["reports.rebuilt"] = "Reports rebuilt",
    };

    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        [SettingKeys.KillSwitch] = "Kill switch",
        [SettingKeys.GroundednessFloor] = "Groundedness floor",
        [SettingKeys.CostCeilingUsd] = "Cost ceiling per ticket (USD)",
        [SettingKeys.TargetPrecision] = "Target precision for auto",
        [SettingKeys.PolicyVersion] = "Policy version",
        [SettingKeys.ActiveRouterVersion] = "Router model deciding new tickets",
        [SettingKeys.KnowledgeIndexVersion] = "Help-center index",
        [SettingKeys.AutoKillSwitchOnFailedEvaluation] = "Kill switch on a failed evaluation",
        [RollupRebuilder.VersionSetting] = "Report tables version",
    };

    private static readonly string[] BandNames = [nameof(ConfidenceBand.Auto), nameof(ConfidenceBand.Suggest), nameof(ConfidenceBand.Escalate)];

    /// <summary>The words for an action code (the code itself when it is unknown).</summary>
    public static string ActionName(string action) => Actions.GetValueOrDefault(action) ?? action;

    /// <summary>The name of a setting (the key itself when it is unknown).</summary>
    public static string SettingName(string key) => Settings.GetValueOrDefault(key) ?? key;

    public static AuditDescription Describe(AuditEvent e)
    {
        var what = ActionName(e.Action);
        JsonElement d;
        try
        {
            d = e.DetailsJson is null ? default : JsonDocument.Parse(e.DetailsJson).RootElement;
        }
        catch (JsonException)
        {
            return new AuditDescription(what, e.DetailsJson);
        }

        var details = e.Action switch
        {
            "ticket.ingested" => $"on {Text(d, "channel")} as {Text(d, "externalId")}" + (Text(d, "inReplyTo") is { } replyTo ? $", answering {replyTo} of a closed ticket" : string.Empty),
            "message.received" => $"message {Text(d, "externalId")} in reply to {Text(d, "inReplyTo")}",
            "ticket.decided" or "ticket.rerouted" => Routing(d),
            "ticket.reopened" => $"the customer's reply opened it again (it was {Status(Text(d, "from"))})",
            "ticket.sent" => (Bool(d, "edited") == true ? "the draft, edited" : "as written") + (Text(d, "status") == nameof(TicketStatus.Pending) ? "; waiting on the customer" : string.Empty),
            "draft.rejected" => Text(d, "reason") is { } reason ? $"because \u201c{reason}\u201d" : null,
            "intent.corrected" => $"from {Text(d, "from") ?? "none"} to {Text(d, "to")} (a training label)",
            "ticket.assigned" => $"to {Text(d, "assignee")}",
            "second-opinion.recorded" => $"{Text(d, "verdict")?.ToLowerInvariant()}" + (Text(d, "correctIntent") is { } intent ? $", right intent {intent}" : string.Empty)
                                         + (Text(d, "note") is { } note ? $": \u201c{note}\u201d" : string.Empty),
            "setting.changed" => Setting(e.EntityId, d),
            "policy.changed" => Policy(d),
            "kb.saved" or "kb.published" => $"version {Text(d, "version")}" + (Text(d, "sections") is { } sections ? $", {sections} sections" : string.Empty)
                                            + (Text(d, "note") is { } publishNote ? $": {publishNote}" : string.Empty),
            "kb.reverted" => $"to the text of version {Text(d, "to")}, published as version {Text(d, "version")}",
            "user.created" or "user.role-changed" => Text(d, "role") is { } role ? $"role {role}" : null,
            "api-key.created" => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array
                ? $"scopes {string.Join(", ", scopes.EnumerateArray().Select(s => s.GetString()))}"
                : null,
            "budget.changed" => Budget(d),
            "router.activated" => Text(d, "reason") is { } why ? $"because \u201c{why}\u201d" : null,
            "router.rejected" => Text(d, "reason"),
            "evaluation.completed" => Evaluation(d),
            "job.queued" => Text(d, "kind"),
            "job.failed" => Text(d, "error") ?? Text(d, "message"),
            "hard-rule.installed" => $"priority {Text(d, "priority")?.ToLowerInvariant()}, {Text(d, "keywords")} phrases",
            _ => Generic(d),
        };
        return new AuditDescription(what, details);
    }

    private static string Routing(JsonElement d)
    {
        var confidence = Number(d, "confidence") is { } c ? c.ToString("P0", CultureInfo.InvariantCulture) : "?";
        var band = Text(d, "band") is { } b ? TicketWords.Band(BandOf(b)) : "?";
        var reasons = d.ValueKind == JsonValueKind.Object && d.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
            ? string.Join(", ", list.EnumerateArray().Select(r => r.GetString()))
            : string.Empty;
        var priority = Text(d, "priority") is { } p && p != "Normal" ? $", priority {p.ToLowerInvariant()}" : string.Empty;
        return $"intent {Text(d, "intent")} at {confidence}{(Bool(d, "certified") == true ? " (certified)" : string.Empty)}: {band}{priority}; "
               + $"router {Text(d, "router")}, policy v{Text(d, "policyVersion")}" + (reasons.Length > 0 ? $"; reasons: {reasons}" : string.Empty);
    }

    private static string Setting(string key, JsonElement d)
    {
        var name = SettingName(key);
        var before = Text(d, "before");
        var after = Text(d, "after");
        var reason = Text(d, "reason") is { } r ? $" because \u201c{r}\u201d" : string.Empty;
        if (key == SettingKeys.KillSwitch)
        {
            return (after == "on" ? "Kill switch engaged (auto-resolve paused)" : "Kill switch released (auto-resolve on)") + reason;
        }

        return $"{name}: {before ?? "unset"} \u2192 {after}{reason}";
    }

    private static string Policy(JsonElement d)
    {
        static string Of(JsonElement side) => side.ValueKind != JsonValueKind.Object
            ? "?"
            : $"band {BandWord(side)}, suggest threshold {Text(side, "SuggestThreshold") ?? Text(side, "suggestThreshold")}, auto threshold {Text(side, "AutoThreshold") ?? Text(side, "autoThreshold") ?? "certification only"}";
        var before = d.ValueKind == JsonValueKind.Object && d.TryGetProperty("before", out var b) ? b : default;
        var after = d.ValueKind == JsonValueKind.Object && d.TryGetProperty("after", out var a) ? a : default;
        var reason = Text(d, "reason") is { } r ? $" because \u201c{r}\u201d" : string.Empty;
        return $"{Of(before)} \u2192 {Of(after)}{reason}";
    }

    private static string BandWord(JsonElement side)
    {
        var band = side.TryGetProperty("Band", out var value) || side.TryGetProperty("band", out value) ? value : default;
        return band.ValueKind switch
        {
            JsonValueKind.Number when band.TryGetInt32(out var i) && i >= 0 && i < BandNames.Length => BandNames[i].ToLowerInvariant(),
            JsonValueKind.String => band.GetString()!.ToLowerInvariant(),
            _ => "?",
        };
    }

    private static string? Budget(JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("after", out var after) || after.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return $"{Text(after, "budgetUsd")} USD a month, warn at {(Number(after, "warnAtShare") is { } w ? w.ToString("P0", CultureInfo.InvariantCulture) : "?")}, "
               + $"then {Text(after, "action")}";
    }

    private static string Evaluation(JsonElement d)
    {
        string Percent(string name) => (Number(d, name) ?? Number(d, char.ToLowerInvariant(name[0]) + name[1..])) is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "?";
        var alert = (Bool(d, "AlertRaised") ?? Bool(d, "alertRaised")) == true ? $"; alert: {Text(d, "AlertReason") ?? Text(d, "alertReason")}" : string.Empty;
        return $"router accuracy {Percent("RouterAccuracy")}, auto {Percent("AutoResolvedShare")}, bad answers {Percent("BadAnswerRate")}{alert}";
    }

    /// <summary>Any other details: "name: value" pairs, flat, in words.</summary>
    private static string? Generic(JsonElement d) => d.ValueKind != JsonValueKind.Object
        ? null
        : string.Join(", ", d.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            .Select(p => $"{Words(p.Name)} {Flat(p.Value)}"));

    private static string Flat(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Flat)),
        JsonValueKind.Object => string.Join(", ", value.EnumerateObject().Select(p => $"{Words(p.Name)} {Flat(p.Value)}")),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.GetRawText(),
    };

    /// <summary><c>workKey</c> and <c>WorkKey</c> read as "work key".</summary>
    private static string Words(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Status(string? status) => status is not null && TicketWords.ParseStatus(status) is { } parsed
        ? TicketWords.Where(parsed).ToLowerInvariant()
        : status ?? "?";

    private static ConfidenceBand BandOf(string band) => Enum.TryParse<ConfidenceBand>(band, out var parsed) ? parsed : ConfidenceBand.Escalate;

    private static string? Text(JsonElement d, string name) =>
        d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;

    private static double? Number(JsonElement d, string name) =>
        d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static bool? Bool(JsonElement d, string name) =>
        d.ValueKind == JsonValueKind.Object && d.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
