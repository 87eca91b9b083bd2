using Microsoft.AspNetCore.Identity;
using SupportConsole.Identity;

namespace SupportConsole.Api;

/// <summary>Who may read reports: managers signed in to the console, and API keys with the reports:read scope.</summary>
public static class ReportsPolicy
{
    public const string Name = "reports:reader";

    /// <summary>Authenticates with the API key when the request carries one, else with the console's cookie; challenges answer 401/403 problem details.</summary>
    public const string Scheme = "ReportsReader";

    public static bool Allows(System.Security.Claims.ClaimsPrincipal user) =>
        user.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.ReportsRead) || user.IsInRole(Roles.Manager) || user.IsInRole(Roles.Admin);

    /// <summary>The policy and its scheme, which forwards to the API key handler or the console's cookie.</summary>
    public static IServiceCollection AddReportsPolicy(this IServiceCollection services)
    {
        services.AddAuthentication().AddPolicyScheme(Scheme, "API key or console sign-in", options =>
        {
            options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                ? ApiKeyAuthenticationHandler.SchemeName
                : IdentityConstants.ApplicationScheme;

            // An API caller gets problem details, not a redirect to the sign-in page.
            options.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
            options.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
        });
        services.AddAuthorizationBuilder().AddPolicy(Name, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Allows(context.User)));
        return services;
    }
}
