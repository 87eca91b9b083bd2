using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data.Entities;
using SupportConsole.Ingest;

namespace SupportConsole.Data.Seeding;

/// <summary>
/// Installs the built-in safeguard hard rules (the vulnerable-customer rule) in every database at start, whatever the
/// tenant: missing ones are added, changed ones brought in line with the shipped file, and the policy version moves so
/// every instance applies them to its next ticket. They cannot be switched off (see <see cref="PolicyCache"/>).
/// </summary>
public static class SafeguardRules
{
    public const string Actor = "system:safeguards";

    /// <summary>Returns how many rules it added or changed.</summary>
    public static async Task<int> InstallAsync(SupportConsoleDbContext db, IReadOnlyList<TenantFiles.HardRuleFile> safeguards, SettingsStore settings,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var file in safeguards)
        {
            var keywords = JsonSerializer.Serialize(file.Keywords);
            var row = await db.HardRules.FirstOrDefaultAsync(r => r.Id == file.Id, cancellationToken);
            if (row is null)
            {
                row = new HardRule { Id = file.Id, Description = file.Description, Kind = file.Kind, KeywordsJson = keywords };
                db.HardRules.Add(row);
            }
            else if (row.Description == file.Description && row.Kind == file.Kind && row.KeywordsJson == keywords && row.MinimumAmount == file.MinimumAmount
                     && row.Priority == file.ParsedPriority && row is { Safeguard: true, Enabled: true })
            {
                continue;
            }

            (row.Description, row.Kind, row.KeywordsJson, row.MinimumAmount, row.Priority, row.Safeguard, row.Enabled, row.UpdatedAt, row.UpdatedBy) =
                (file.Description, file.Kind, keywords, file.MinimumAmount, file.ParsedPriority, true, true, now, Actor);
            db.AuditEvents.Add(AuditEvent.Record(now, Actor, "hard-rule.installed", "hard-rule", file.Id,
                JsonSerializer.Serialize(new { priority = file.ParsedPriority.ToString(), keywords = file.Keywords.Count })));
            changed++;
        }

        if (changed > 0)
        {
            var version = await db.Settings.FirstAsync(s => s.Key == SettingKeys.PolicyVersion, cancellationToken);
            settings.Write(db, version, (long.Parse(version.Value, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), Actor,
                "safeguards installed");
            await db.SaveChangesAsync(cancellationToken);
        }

        return changed;
    }
}
