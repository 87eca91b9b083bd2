using System.Net;
using System.Text.RegularExpressions;

namespace SupportConsole.Tests.TestSupport;

/// <summary>An HTTP client that signs in through the real sign-in form (with its antiforgery token) and keeps the cookie.</summary>
public static partial class SignedInClient
{
    public static readonly IReadOnlyDictionary<string, (string Email, string Password)> DemoAccounts = new Dictionary<string, (string, string)>
    {
        ["agent"] = ("agent@demo.example", "Agent-demo-1"),
        ["manager"] = ("manager@demo.example", "Manager-demo-1"),
        ["admin"] = ("admin@demo.example", "Admin-demo-1"),
    };

    /// <summary>A client that does not follow redirects (so tests see them); signed in unless <paramref name="role"/> is null.</summary>
    public static async Task<HttpClient> CreateAsync(AppFactory factory, string? role)
    {
        factory.StartServer();
        using var probe = factory.CreateClient();
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        var client = new HttpClient(handler) { BaseAddress = probe.BaseAddress };
        if (role is null)
        {
            return client;
        }

        var (email, password) = DemoAccounts[role];
        var (signedIn, location) = await SignInAsync(client, email, password);
        if (!signedIn)
        {
            throw new InvalidOperationException($"sign-in as {role} failed: {location}");
        }

        return client;
    }

    /// <summary>A client that tried to sign in with any account: whether it worked, and where the form sent it.</summary>
    public static async Task<(HttpClient Client, bool SignedIn, string? Location)> TryAsync(AppFactory factory, string email, string password)
    {
        var client = await CreateAsync(factory, role: null);
        var (signedIn, location) = await SignInAsync(client, email, password);
        return (client, signedIn, location);
    }

    private static async Task<(bool SignedIn, string? Location)> SignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/account/login");
        var token = TokenPattern().Match(page).Groups[1].Value;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
        var location = response.Headers.Location?.OriginalString;
        return (response.StatusCode == HttpStatusCode.Redirect && location == "/", location);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
