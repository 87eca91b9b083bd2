using Microsoft.Extensions.Options;
using SupportConsole.Reporting;

namespace SupportConsole.Pipeline;

/// <summary>Where each kind of outbox message is delivered: replies to Outbox:WebhookUrl, budget alerts to Budgets:AlertWebhookUrl.</summary>
public sealed class OutboxDestinations(IOptionsMonitor<OutboxOptions> outbox, IOptionsMonitor<BudgetOptions> budgets)
{
    public const string ReplyKind = "reply";

    public Uri? For(string kind) => kind == BudgetGuard.OutboxKind ? budgets.CurrentValue.AlertWebhookUrl : outbox.CurrentValue.WebhookUrl;

    /// <summary>The kinds that have a destination now (a kind without one waits in the outbox).</summary>
    public IReadOnlyList<string> DeliverableKinds()
    {
        var kinds = new List<string>(2);
        if (outbox.CurrentValue.WebhookUrl is not null)
        {
            kinds.Add(ReplyKind);
        }

        if (budgets.CurrentValue.AlertWebhookUrl is not null)
        {
            kinds.Add(BudgetGuard.OutboxKind);
        }

        return kinds;
    }
}
