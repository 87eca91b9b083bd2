using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using SupportConsole.Api;
using SupportConsole.Identity;

namespace SupportConsole.Reporting;

/// <summary>Who may read reports: managers signed in to the console, and API keys with the reports:read scope.</summary>
public static class ReportsPolicy
{
    public const string Name = "reports:reader";

    /// <summary>Authenticates with the API key when the request carries one, else with the console's cookie; challenges answer 401/403 problem details.</summary>
    public const string Scheme = "ReportsReader";

    public static bool Allows(System.Security.Claims.ClaimsPrincipal user) =>
        user.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.ReportsRead) || user.IsInRole(Roles.Manager) || user.IsInRole(Roles.Admin);
}

public static class ReportingRegistration
{
    /// <summary>Options, the rollup writers the pipeline and agents' actions call, budgets, the report queries and their policy.</summary>
    public static IHostApplicationBuilder AddSupportConsoleReporting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReportingOptions>().BindConfiguration(ReportingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BudgetOptions>().BindConfiguration(BudgetOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AlertWebhookUrl is null || o.AlertWebhookUrl.IsAbsoluteUri, "Budgets:AlertWebhookUrl must be an absolute URL")
            .ValidateOnStart();
        services.AddSingleton<BudgetCache>();
        services.AddSingleton<BudgetGuard>();
        services.AddSingleton<CostRollups>();
        services.AddSingleton<RollupRebuilder>();
        services.AddSingleton<CostReports>();
        services.AddSingleton<TimelineEvents>();
        services.AddSingleton<ReportTables>();
        services.AddSingleton<BudgetAdmin>();

        services.AddAuthentication().AddPolicyScheme(ReportsPolicy.Scheme, "API key or console sign-in", options =>
        {
            options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                ? ApiKeyAuthenticationHandler.SchemeName
                : IdentityConstants.ApplicationScheme;

            // An API caller gets problem details, not a redirect to the sign-in page.
            options.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
            options.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
        });
        services.AddAuthorizationBuilder().AddPolicy(ReportsPolicy.Name, policy => policy
            .AddAuthenticationSchemes(ReportsPolicy.Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => ReportsPolicy.Allows(context.User)));
        return builder;
    }
}
