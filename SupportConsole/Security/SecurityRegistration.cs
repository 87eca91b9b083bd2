namespace SupportConsole.Security;

public static class SecurityRegistration
{
    /// <summary>Response headers and the handling of broken requests (<see cref="WebSecurityOptions"/>).</summary>
    public static IHostApplicationBuilder AddSupportConsoleSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebSecurityOptions>()
            .BindConfiguration(WebSecurityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WarningBudget>();
        return builder;
    }

    /// <summary>Security headers on every response; broken request bodies answered with a 4xx instead of reaching the error handler.</summary>
    public static IApplicationBuilder UseSupportConsoleSecurity(this IApplicationBuilder app) => app
        .UseMiddleware<SecurityHeaders>()
        .UseMiddleware<BrokenRequests>();
}
