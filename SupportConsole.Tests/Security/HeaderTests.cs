using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 8: every response carries nosniff, a referrer policy and the Content-Security-Policy (which forbids framing,
/// with X-Frame-Options, the jobs dashboard included); over https also HSTS, and both the sign-in and the antiforgery
/// cookies are Secure. (That the console works under the policy in Chromium: the browser tests.)
/// </summary>
public sealed class HeaderTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Theory]
    [InlineData("/account/login", null)]
    [InlineData("/", "agent")]
    [InlineData("/jobs", "admin")]
    [InlineData("/api/v1/tickets/0195f5c2-0000-7000-8000-000000000000", null)]
    [InlineData("/health", null)]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path, string? role)
    {
        using var client = await SignedInClient.CreateAsync(host.App, role);

        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain http");
    }

    [Fact]
    public async Task OverHttpsHstsIsSentAndCookiesAreSecure()
    {
        using var certificate = SelfSigned();
        using var app = new AppFactory(httpsCertificate: certificate);
        app.StartServer();
        using var probe = app.CreateClient();
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = probe.BaseAddress };
        Assert.Equal("https", client.BaseAddress!.Scheme);

        using var page = await client.GetAsync("/account/login");
        Assert.StartsWith("max-age=", Header(page, "Strict-Transport-Security"));
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        var token = SignedInClient.TokenPattern().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = "agent@demo.example", ["password"] = "Agent-demo-1", ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            }),
        };
        request.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signedIn = await client.SendAsync(request);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("supportconsole=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
