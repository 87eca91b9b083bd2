using SupportConsole.Data.Entities;
using SupportConsole.Delivery;

namespace SupportConsole.Accounting;

public static class AccountingRegistration
{
    /// <summary>What each ticket cost and who pays: budgets and their guard, the cost rollups the pipeline and agents' actions write.</summary>
    public static IHostApplicationBuilder AddSupportConsoleAccounting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BudgetOptions>().BindConfiguration(BudgetOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AlertWebhookUrl is null || o.AlertWebhookUrl.IsAbsoluteUri, "Budgets:AlertWebhookUrl must be an absolute URL")
            .ValidateOnStart();
        services.AddOutboxRoute<BudgetOptions>(OutboxKinds.BudgetAlert, o => o.AlertWebhookUrl);
        services.AddSingleton<BudgetCache>();
        services.AddSingleton<BudgetGuard>();
        services.AddSingleton<CostRollups>();
        services.AddSingleton<RollupRebuilder>();
        services.AddSingleton<BudgetAdmin>();
        return builder;
    }
}
