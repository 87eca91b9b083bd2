using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Gate;

namespace SupportConsole.Data;

/// <summary>Names of the settings rows.</summary>
public static class SettingKeys
{
    public const string KillSwitch = "gate.kill_switch";
    public const string GroundednessFloor = "gate.groundedness_floor";
    public const string CostCeilingUsd = "gate.cost_ceiling_usd";
    public const string TargetPrecision = "router.target_precision";

    /// <summary>Bumped whenever band policy, hard rules or templates change, so every instance reloads them.</summary>
    public const string PolicyVersion = "policy.version";

    /// <summary>The router version that decides new tickets (the registry's active model).</summary>
    public const string ActiveRouterVersion = "router.active_version";

    /// <summary>The help-center index version that went live last (every instance builds the same content into it).</summary>
    public const string KnowledgeIndexVersion = "kb.index_version";

    /// <summary><c>on</c>: a failed golden-set evaluation engages the kill switch (an admin's choice; off by default).</summary>
    public const string AutoKillSwitchOnFailedEvaluation = "evaluation.auto_kill_switch";
}

/// <summary>The settings read for every ticket: the gate's, the policy version and the active router version.</summary>
public sealed record LiveSettings(GateSettings Gate, long PolicyVersion, string? ActiveRouterVersion);

/// <summary>
/// Reads and writes the settings table; every write records who, when and why, and is audited. The gate's settings are
/// read for every ticket through a short-lived cache: a change saved through this process empties it at once (see
/// <see cref="CacheInvalidationInterceptor"/>), one made elsewhere (another instance) is seen within
/// <see cref="CacheOptions.SettingsMilliseconds"/> (sooner when its change notification arrives).
/// </summary>
public sealed class SettingsStore(IOptions<GateOptions> gateOptions, IOptions<CacheOptions> cacheOptions, DataChanges changes, TimeProvider clock)
{
    private readonly FreshCache<string, LiveSettings> _gate = new(changes.Settings, TimeSpan.FromMilliseconds(cacheOptions.Value.SettingsMilliseconds), clock);

    public async Task EnsureDefaultsAsync(SupportConsoleDbContext db, CancellationToken cancellationToken)
    {
        var gate = gateOptions.Value;
        var defaults = new Dictionary<string, string>
        {
            [SettingKeys.KillSwitch] = "off",
            [SettingKeys.GroundednessFloor] = gate.GroundednessFloor.ToString(CultureInfo.InvariantCulture),
            [SettingKeys.CostCeilingUsd] = gate.DefaultCostCeilingUsd.ToString(CultureInfo.InvariantCulture),
            [SettingKeys.TargetPrecision] = gate.TargetPrecision.ToString(CultureInfo.InvariantCulture),
            [SettingKeys.PolicyVersion] = "1",
            [SettingKeys.AutoKillSwitchOnFailedEvaluation] = "off",
        };
        var existing = await db.Settings.Select(s => s.Key).ToListAsync(cancellationToken);
        foreach (var (key, value) in defaults.Where(d => !existing.Contains(d.Key)))
        {
            db.Settings.Add(new Setting { Key = key, Value = value, UpdatedAt = clock.GetUtcNow(), UpdatedBy = "system:defaults" });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The gate settings for the next ticket: from the cache while it is younger than the configured age and no setting
    /// was saved through this process since it was read, else fresh from the database.
    /// </summary>
    public ValueTask<LiveSettings> CurrentGateAsync(IDbContextFactory<SupportConsoleDbContext> contexts, CancellationToken cancellationToken) =>
        _gate.GetAsync(string.Empty, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            return await ReadGateAsync(db, token);
        }, cancellationToken);

    /// <summary>The gate settings, policy version and active router version as of now, read from the database.</summary>
    public static async Task<LiveSettings> ReadGateAsync(SupportConsoleDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == SettingKeys.KillSwitch || s.Key == SettingKeys.GroundednessFloor
                        || s.Key == SettingKeys.CostCeilingUsd || s.Key == SettingKeys.PolicyVersion || s.Key == SettingKeys.TargetPrecision
                        || s.Key == SettingKeys.ActiveRouterVersion)
            .ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        var gate = new GateSettings(
            rows.GetValueOrDefault(SettingKeys.KillSwitch) == "on",
            double.Parse(rows.GetValueOrDefault(SettingKeys.GroundednessFloor) ?? "0.92", CultureInfo.InvariantCulture),
            decimal.Parse(rows.GetValueOrDefault(SettingKeys.CostCeilingUsd) ?? "0.006", CultureInfo.InvariantCulture),
            double.Parse(rows.GetValueOrDefault(SettingKeys.TargetPrecision) ?? "0.98", CultureInfo.InvariantCulture));
        return new LiveSettings(gate, long.Parse(rows.GetValueOrDefault(SettingKeys.PolicyVersion) ?? "1", CultureInfo.InvariantCulture),
            rows.GetValueOrDefault(SettingKeys.ActiveRouterVersion));
    }

    /// <summary>Writes one setting with who, when and why, and an audit event, in the caller's transaction.</summary>
    public void Write(SupportConsoleDbContext db, Setting row, string value, string actor, string? reason)
    {
        var before = row.Value;
        row.Value = value;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = actor;
        row.Reason = reason;
        db.AuditEvents.Add(AuditEvent.Record(row.UpdatedAt, actor, "setting.changed", "setting", row.Key, System.Text.Json.JsonSerializer.Serialize(new { before, after = value, reason })));
    }
}
