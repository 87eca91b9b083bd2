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
    /// <summary>API-key authentication, one policy per scope, problem details, the ticket queries and their JSON.</summary>
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
        builder.Services.AddSingleton<VerifiedApiKeys>();
        builder.Services.AddSingleton<TicketQueries>();

        // Ticket answers are written by source-generated code; anything else (problem details) as before.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));
        return builder;
    }

    private static Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder> Scope(string scope) => policy => policy
        .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope);
}
