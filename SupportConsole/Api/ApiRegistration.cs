using Microsoft.AspNetCore.Authentication;
using SupportConsole.Identity;

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
        builder.Services.AddReportsPolicy();
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

/// <summary>
/// Wrong methods on an API route get 405 with an <c>Allow</c> header and problem details. Without these endpoints a GET or
/// HEAD would fall through to the console's pages and answer 404.
/// </summary>
public static class ApiMethods
{
    private static readonly string[] Every =
        [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Options, HttpMethods.Trace];

    /// <summary>Answers every method but <paramref name="allowed"/> on <paramref name="pattern"/> with 405.</summary>
    public static void RefuseOtherMethods(this IEndpointRouteBuilder group, string pattern, params string[] allowed)
    {
        var allow = string.Join(", ", allowed);
        group.MapMethods(pattern, Every.Except(allowed), (HttpContext context) =>
        {
            context.Response.Headers.Allow = allow;
            return TypedResults.Problem($"{context.Request.Method} is not allowed here; use {allow}.", statusCode: StatusCodes.Status405MethodNotAllowed,
                title: "Method not allowed");
        }).ExcludeFromDescription();
    }
}

