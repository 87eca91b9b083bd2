using Microsoft.AspNetCore.Authentication;

namespace SupportConsole.Api;

/// <summary>Authorization policies of the API: one per scope, on the API-key scheme.</summary>
public static class ApiPolicies
{
    public const string TicketsWrite = "api:" + ApiScopes.TicketsWrite;
    public const string TicketsRead = "api:" + ApiScopes.TicketsRead;
    public const string ReportsRead = "api:" + ApiScopes.ReportsRead;
}

public static class ApiRegistration
{
    /// <summary>API-key authentication, one policy per scope, problem details and the ticket queries.</summary>
    public static IHostApplicationBuilder AddSupportConsoleApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName);
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.TicketsWrite, Scope(ApiScopes.TicketsWrite))
            .AddPolicy(ApiPolicies.TicketsRead, Scope(ApiScopes.TicketsRead))
            .AddPolicy(ApiPolicies.ReportsRead, Scope(ApiScopes.ReportsRead));
        builder.Services.AddSingleton<TicketQueries>();
        return builder;
    }

    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Scope(string scope) => policy => policy
        .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope);
}
