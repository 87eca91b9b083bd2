using System.Net;
using System.Net.Sockets;
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
        var browser = Browser(factory);
        if (role is null)
        {
            return browser.Client;
        }

        var (email, password) = DemoAccounts[role];
        using var response = await browser.SignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"sign-in as {role} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return browser.Client;
    }

    /// <summary>
    /// A client with its own cookies that does not follow redirects; its connections come from <paramref name="from"/>
    /// (any 127.x.y.z address: the server sees another client address, still on the loopback interface).
    /// </summary>
    public static FormClient Browser(AppFactory factory, IPAddress? from = null)
    {
        factory.StartServer();
        using var probe = factory.CreateClient();
        return new FormClient(probe.BaseAddress!, from);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    public static partial Regex TokenPattern();
}

/// <summary>A cookie-keeping client that posts the console's forms the way a browser does.</summary>
public sealed class FormClient : IDisposable
{
    public FormClient(Uri baseAddress, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        Client = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    /// <summary>Posts the sign-in form (token from the sign-in page) and returns the answer: a redirect either way.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "/")
    {
        var token = await TokenAsync("/account/login");
        return await Client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>Posts the sign-out form of a console page.</summary>
    public async Task<HttpResponseMessage> SignOutAsync() =>
        await Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await TokenAsync("/") }));

    /// <summary>The antiforgery token a page's form carries.</summary>
    public async Task<string> TokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page);
        return SignedInClient.TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{page} has no antiforgery token");
    }

    /// <summary>Another client that sends a copy of this one's cookies as they are now (a cookie someone kept).</summary>
    public FormClient CopyOfCookies()
    {
        var copy = new FormClient(Client.BaseAddress!);
        foreach (Cookie cookie in Cookies.GetAllCookies())
        {
            copy.Cookies.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        return copy;
    }

    public void Dispose() => Client.Dispose();
}
