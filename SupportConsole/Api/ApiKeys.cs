using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SupportConsole.Identity;

namespace SupportConsole.Api;

/// <summary>Configuration section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Keys with every scope, for automation and first start (<c>Api__BootstrapKeys__0=...</c>).</summary>
    public List<string> BootstrapKeys { get; set; } = [];
}

/// <summary>Authenticates <c>X-Api-Key</c>: bootstrap keys from configuration, then hashed keys in the database (through <see cref="VerifiedApiKeys"/>).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> api,
    VerifiedApiKeys keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        var key = values[0]!.Trim();
        foreach (var bootstrap in api.CurrentValue.BootstrapKeys.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(bootstrap), Encoding.UTF8.GetBytes(key)))
            {
                return Success("bootstrap", ApiScopes.All);
            }
        }

        if (await keys.VerifyAsync(key, Context.RequestAborted) is not { } verified)
        {
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        return Success($"key:{verified.Name}", verified.Scopes);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Missing or invalid API key",
            $"Send a valid key in the {HeaderName} header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "API key lacks the scope", "This key is not allowed to call this endpoint.");

    private AuthenticateResult Success(string name, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. scopes.Select(s => new Claim(ScopeClaim, s))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private Task WriteProblemAsync(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title).ExecuteAsync(Context);
}
