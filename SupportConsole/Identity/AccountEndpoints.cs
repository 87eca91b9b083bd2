using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SupportConsole.Identity;

/// <summary>Sign-in and sign-out form posts (cookies can only be set outside the interactive circuit).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/login", async ([FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
            HttpContext context, ConsoleSignIn signIn) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var outcome = string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password)
                ? SignInOutcome.Failed
                : await signIn.SignInAsync(email, password, context.Connection.RemoteIpAddress);
            return outcome == SignInOutcome.SignedIn ? Results.LocalRedirect(target) : Results.LocalRedirect(SignInPage(outcome, target));
        }).RequireRateLimiting(SignInRateLimit.PolicyName);
        account.MapPost("/logout", async (HttpContext context, ConsoleSignIn signIn, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        {
            // No form fields are bound here, so the antiforgery token is checked explicitly: another site cannot sign people out.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem("Sign out from a page of the console.", statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid form token");
            }

            await signIn.SignOutAsync(context.User);
            return Results.LocalRedirect("/account/login");
        }).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Only local paths made of printable ASCII: never another site, and never a character a <c>Location</c> header cannot
    /// carry (a tab, a line break, U+2028...), which would fail the response after the sign-in cookie was set.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && returnUrl.All(c => c is > ' ' and < '\u007f')
            ? returnUrl
            : "/";

    /// <summary>The sign-in page with the message for <paramref name="outcome"/>; one message for every kind of failure.</summary>
    public static string SignInPage(SignInOutcome outcome, string returnUrl) =>
        $"/account/login?error={(outcome == SignInOutcome.Throttled ? "throttled" : "invalid")}&returnUrl={Uri.EscapeDataString(returnUrl)}";
}

/// <summary>ASP.NET Core's rate limiter on the sign-in post, per client address, whatever the account (against spraying).</summary>
public static class SignInRateLimit
{
    public const string PolicyName = "sign-in";

    public static RateLimitPartition<string> Partition(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<AccountSecurityOptions>>().Value;
        return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.SignInsPerClientPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    /// <summary>A person at a browser gets the sign-in page with a message, not a bare 429.</summary>
    public static ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        if (context.RequestServices.GetRequiredService<Security.WarningBudget>().TryTake(out var suppressed))
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInRateLimit))
                .LogWarning("Sign-in posts from {Client} are throttled ({Suppressed} more such lines were not logged)", context.Connection.RemoteIpAddress, suppressed);
        }

        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = AccountEndpoints.SignInPage(SignInOutcome.Throttled, "/");
        return ValueTask.CompletedTask;
    }
}
