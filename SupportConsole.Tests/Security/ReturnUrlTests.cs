using System.Net;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>Hole 5: a return address with a control character goes to "/" with the new sign-in cookie, never a 500.</summary>
public sealed class ReturnUrlTests(ApiHost host) : IClassFixture<ApiHost>
{
    public static TheoryData<string> Unsafe => new() { "/ok\tx", "/ok\nx", "/ok\r\nSet-Cookie: x=y", "/ok\u2028x", "/caf\u00e9", "//evil.example/", "/\\evil.example", "https://evil.example/" };

    [Theory]
    [MemberData(nameof(Unsafe))]
    public async Task AnUnsafeReturnAddressSignsInAndGoesHome(string returnUrl)
    {
        using var browser = SignedInClient.Browser(host.App);

        using var response = await browser.SignInAsync("agent@demo.example", "Agent-demo-1", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Contains(browser.Cookies.GetAllCookies(), c => c.Name == "supportconsole");
    }

    [Fact]
    public async Task ANulInTheReturnAddressIsRefusedWithoutSigningIn()
    {
        using var browser = SignedInClient.Browser(host.App);

        using var response = await browser.SignInAsync("agent@demo.example", "Agent-demo-1", "/ok\u0000x");

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest || response.Headers.Location?.OriginalString == "/");
    }

    [Fact]
    public async Task ASafeReturnAddressIsKept()
    {
        using var browser = SignedInClient.Browser(host.App);

        using var response = await browser.SignInAsync("agent@demo.example", "Agent-demo-1", "/queues/escalated?page=2");

        Assert.Equal("/queues/escalated?page=2", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheSignInPageWithAControlCharacterInItsAddressRenders()
    {
        using var browser = SignedInClient.Browser(host.App);

        using var response = await browser.Client.GetAsync("/account/login?returnUrl=%2Fok%09x&error=invalid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/", AccountEndpoints.SafeReturnUrl("/ok\tx"));
    }
}
