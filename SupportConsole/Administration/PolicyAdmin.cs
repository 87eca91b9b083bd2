using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Identity;

namespace SupportConsole.Administration;

/// <summary>One intent's policy as the Bands page edits it.</summary>
public sealed record IntentPolicyEdit(string Intent, ConfidenceBand Band, double SuggestThreshold, double? AutoThreshold);

/// <summary>The gate's tenant-wide settings as the Bands page edits them.</summary>
public sealed record GateSettingsEdit(double GroundednessFloor, decimal CostCeilingUsd, double TargetPrecision);

/// <summary>Saves band policy, gate settings and hard rules; every save is audited and bumps the policy version.</summary>
public sealed class PolicyAdmin(IDbContextFactory<SupportConsoleDbContext> contexts, SettingsStore settings, TimeProvider clock)
{
    public async Task<(IReadOnlyList<IntentPolicyEdit> Policies, GateSettingsEdit Gate, IReadOnlyList<HardRule> Rules)> LoadAsync(
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policies = await db.BandPolicies.AsNoTracking().OrderBy(p => p.Intent)
            .Select(p => new IntentPolicyEdit(p.Intent, p.Band, p.SuggestThreshold, p.AutoThreshold)).ToListAsync(cancellationToken);
        var gate = (await SettingsStore.ReadGateAsync(db, cancellationToken)).Gate;
        var rules = await db.HardRules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return (policies, new GateSettingsEdit(gate.GroundednessFloor, gate.CostCeilingUsd, gate.TargetPrecision), rules);
    }

    /// <summary>Saves what changed (managers and admins); returns how many values changed. Thresholds must be between 0 and 1.</summary>
    public async Task<int> SaveAsync(IReadOnlyList<IntentPolicyEdit> policies, GateSettingsEdit gate, IReadOnlyDictionary<string, bool> ruleEnabled,
        ConsoleActor actor, CancellationToken cancellationToken = default)
    {
        actor.Require(Roles.Manager, "change band policy");
        var by = actor.Name;
        foreach (var p in policies)
        {
            if (p.SuggestThreshold is < 0 or > 1 || p.AutoThreshold is < 0 or > 1)
            {
                throw new ArgumentException($"thresholds of {p.Intent} must be between 0 and 1");
            }
        }

        if (gate.GroundednessFloor is < 0 or > 1 || gate.TargetPrecision is < 0.5 or >= 1 || gate.CostCeilingUsd < 0)
        {
            throw new ArgumentException("groundedness floor must be 0-1, target precision 0.5-1 and the cost ceiling not negative");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var changes = 0;
        var stored = await db.BandPolicies.ToDictionaryAsync(p => p.Intent, cancellationToken);
        foreach (var edit in policies)
        {
            if (!stored.TryGetValue(edit.Intent, out var row))
            {
                continue;
            }

            if (row.Band == edit.Band && row.SuggestThreshold == edit.SuggestThreshold && row.AutoThreshold == edit.AutoThreshold)
            {
                continue;
            }

            db.AuditEvents.Add(Audit(now, by, "policy.changed", "band-policy", edit.Intent,
                new { before = new { row.Band, row.SuggestThreshold, row.AutoThreshold }, after = new { edit.Band, edit.SuggestThreshold, edit.AutoThreshold } }));
            (row.Band, row.SuggestThreshold, row.AutoThreshold, row.UpdatedAt, row.UpdatedBy) = (edit.Band, edit.SuggestThreshold, edit.AutoThreshold, now, by);
            changes++;
        }

        foreach (var rule in await db.HardRules.ToListAsync(cancellationToken))
        {
            if (ruleEnabled.TryGetValue(rule.Id, out var enabled) && enabled != rule.Enabled)
            {
                db.AuditEvents.Add(Audit(now, by, enabled ? "hard-rule.enabled" : "hard-rule.disabled", "hard-rule", rule.Id, null));
                (rule.Enabled, rule.UpdatedAt, rule.UpdatedBy) = (enabled, now, by);
                changes++;
            }
        }

        var rows = await db.Settings.ToDictionaryAsync(s => s.Key, cancellationToken);
        changes += Set(db, rows[SettingKeys.GroundednessFloor], gate.GroundednessFloor.ToString(CultureInfo.InvariantCulture), by);
        changes += Set(db, rows[SettingKeys.CostCeilingUsd], gate.CostCeilingUsd.ToString(CultureInfo.InvariantCulture), by);
        changes += Set(db, rows[SettingKeys.TargetPrecision], gate.TargetPrecision.ToString(CultureInfo.InvariantCulture), by);
        if (changes > 0)
        {
            var version = rows[SettingKeys.PolicyVersion];
            settings.Write(db, version, (long.Parse(version.Value, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), by, "policy saved");
            await db.SaveChangesAsync(cancellationToken);
        }

        return changes;
    }

    private int Set(SupportConsoleDbContext db, Setting row, string value, string actor)
    {
        if (row.Value == value)
        {
            return 0;
        }

        settings.Write(db, row, value, actor, "changed on the Bands page");
        return 1;
    }

    private static AuditEvent Audit(DateTimeOffset at, string actor, string action, string type, string id, object? details) =>
        AuditEvent.Record(at, actor, action, type, id, details is null ? null : JsonSerializer.Serialize(details));
}
