using Microsoft.Extensions.Options;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;
using SupportConsole.Reporting;

namespace SupportConsole.Pipeline;

/// <summary>Where each kind of outbox message is delivered; a kind without a destination waits in the outbox.</summary>
public sealed class OutboxDestinations(
    IOptionsMonitor<OutboxOptions> outbox,
    IOptionsMonitor<EvaluationOptions> evaluation,
    IOptionsMonitor<BudgetOptions> budgets)
{
    private static readonly string[] Kinds = [OutboxKinds.Reply, OutboxKinds.EvaluationAlert, OutboxKinds.BudgetAlert];

    public Uri? For(string kind) => kind switch
    {
        OutboxKinds.Reply => outbox.CurrentValue.WebhookUrl,
        OutboxKinds.EvaluationAlert => evaluation.CurrentValue.AlertWebhookUrl,
        OutboxKinds.BudgetAlert => budgets.CurrentValue.AlertWebhookUrl,
        _ => null,
    };

    /// <summary>The kinds that have somewhere to go right now.</summary>
    public IReadOnlyList<string> Configured() => [.. Kinds.Where(k => For(k) is not null)];
}
