using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;

namespace SupportConsole.Evaluation;

/// <summary>When a golden-set run raises an alert, and whether it also engages the kill switch (an admin's choice, audited).</summary>
public sealed record EvaluationAlertPolicy(double BadAnswerBudget, double GroundednessFloor, bool EngageKillSwitch, bool WebhookConfigured,
    string? ChangedBy, DateTimeOffset? ChangedAt);

public sealed class EvaluationAlertSettings(IDbContextFactory<SupportConsoleDbContext> contexts, SettingsStore settings, IOptions<EvaluationOptions> options)
{
    public async Task<EvaluationAlertPolicy> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var gate = (await SettingsStore.ReadGateAsync(db, cancellationToken)).Gate;
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SettingKeys.AutoKillSwitchOnFailedEvaluation, cancellationToken);
        return new EvaluationAlertPolicy(options.Value.BadAnswerBudget, gate.GroundednessFloor, row?.Value == "on", options.Value.AlertWebhookUrl is not null,
            row?.UpdatedBy, row?.UpdatedAt);
    }

    /// <summary>Turns the automatic kill switch on failed evaluations on or off; a reason is required.</summary>
    public async Task SetEngageKillSwitchAsync(bool engage, string actor, string reason, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("a reason is required", nameof(reason));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == SettingKeys.AutoKillSwitchOnFailedEvaluation, cancellationToken);
        if (row is null)
        {
            row = new Data.Entities.Setting { Key = SettingKeys.AutoKillSwitchOnFailedEvaluation, Value = "off" };
            db.Settings.Add(row);
        }

        settings.Write(db, row, engage ? "on" : "off", actor, reason.Trim());
        await db.SaveChangesAsync(cancellationToken);
    }
}
