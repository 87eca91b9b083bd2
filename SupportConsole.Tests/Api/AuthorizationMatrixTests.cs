using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Identity;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Api;

/// <summary>Every page and API endpoint, for anonymous, agent, manager and admin, on the real host.</summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Host>
{
    private readonly Host _host;

    public AuthorizationMatrixTests(Host host) => _host = host;

    public enum Expect
    {
        SignIn,
        Forbidden,
        Ok,
    }

    /// <summary>Page, then the expected result for anonymous, agent, manager, admin.</summary>
    public static TheoryData<string, Expect, Expect, Expect, Expect> Pages => new()
    {
        { "/", Expect.SignIn, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/queues/suggest", Expect.SignIn, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/queues/escalated", Expect.SignIn, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/queues/auto", Expect.SignIn, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/tickets/{ticket}", Expect.SignIn, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/bands", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/knowledge", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/knowledge/card-delivery", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/audit", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/costs", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/costs?from=2026-01-01&to=2025-01-01", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/costs/customers", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/costs/customers/C0001", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/costs/customers/NO-SUCH-CUSTOMER", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/deflection", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/admin/kill-switch", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/admin/users", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/admin/api-keys", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/queues/second-opinion", Expect.SignIn, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/evaluations", Expect.SignIn, Expect.Forbidden, Expect.Ok, Expect.Ok },
        { "/admin/jobs", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/admin/models", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/admin/email", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/jobs", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/jobs/jobs/succeeded", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/jobs/recurring", Expect.SignIn, Expect.Forbidden, Expect.Forbidden, Expect.Ok },
        { "/health", Expect.Ok, Expect.Ok, Expect.Ok, Expect.Ok },
        { "/health/live", Expect.Ok, Expect.Ok, Expect.Ok, Expect.Ok },
    };

    /// <summary>API call, then the expected status for a key with tickets:write, tickets:read, reports:read, and for no key.</summary>
    public static TheoryData<string, string, int, int, int, int> ApiCalls => new()
    {
        { "POST", "/api/v1/tickets", 201, 403, 403, 401 },
        { "REPLAY", "/api/v1/tickets", 200, 403, 403, 401 },
        { "GET", "/api/v1/tickets/{ticket}", 403, 200, 403, 401 },
        { "HEAD", "/api/v1/tickets/{ticket}", 405, 405, 405, 405 },
        { "PUT", "/api/v1/tickets", 405, 405, 405, 405 },
        { "GET", "/api/v1/costs/summary", 403, 403, 200, 401 },
        { "GET", "/api/v1/reports/customers.csv", 403, 403, 200, 401 },
        { "HEAD", "/api/v1/deflection/summary", 403, 403, 405, 401 },
    };

    [Theory]
    [MemberData(nameof(ApiCalls))]
    public async Task ApiCallAnswersEachKeyScopeAsExpected(string method, string path, int write, int read, int reports, int none)
    {
        path = path.Replace("{ticket}", (await _host.TicketIdAsync()).ToString());
        foreach (var (scope, expected) in new[] { ("tickets:write", write), ("tickets:read", read), ("reports:read", reports), ((string?)null, none) })
        {
            using var client = scope is null ? _host.Factory.CreateClient() : _host.KeyClient(await _host.CreateKeyAsync([scope]));
            using var request = method switch
            {
                "POST" => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { externalId = $"matrix-{Guid.NewGuid():N}", customerId = "C0001", channel = "api", body = "My card was declined" }) },
                "REPLAY" => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { externalId = "matrix-1", customerId = "C0001", channel = "email", body = "My card payment was declined at the shop" }) },
                _ => new HttpRequestMessage(new HttpMethod(method), path),
            };
            using var response = await client.SendAsync(request);
            Assert.True(expected == (int)response.StatusCode, $"{method} {path} with {scope ?? "no key"}: expected {expected}, got {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task SignOutNeedsASignedInPersonAndItsFormToken()
    {
        using var anonymous = await SignedInClient.CreateAsync(_host.Factory, null);
        using var signedOutAnonymous = await anonymous.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        using var agent = await SignedInClient.CreateAsync(_host.Factory, "agent");
        using var withoutToken = await agent.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.True(signedOutAnonymous.StatusCode == HttpStatusCode.Redirect && signedOutAnonymous.Headers.Location!.OriginalString.Contains("/account/login"),
            $"anonymous: {(int)signedOutAnonymous.StatusCode} {signedOutAnonymous.Headers.Location}");
        Assert.True(withoutToken.StatusCode == HttpStatusCode.BadRequest, $"without a token: {(int)withoutToken.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/queues/suggest")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PageAnswersEachRoleAsExpected(string path, Expect anonymous, Expect agent, Expect manager, Expect admin)
    {
        path = path.Replace("{ticket}", (await _host.TicketIdAsync()).ToString());
        foreach (var (role, expected) in new[] { ((string?)null, anonymous), ("agent", agent), ("manager", manager), ("admin", admin) })
        {
            using var client = await SignedInClient.CreateAsync(_host.Factory, role);
            using var response = await client.GetAsync(path);
            var actual = response.StatusCode switch
            {
                HttpStatusCode.OK => Expect.Ok,
                HttpStatusCode.Forbidden => Expect.Forbidden,
                HttpStatusCode.Redirect when response.Headers.Location!.OriginalString.Contains("/account/login") => Expect.SignIn,
                _ => (Expect)(-1),
            };
            Assert.True(expected == actual, $"{path} as {role ?? "anonymous"}: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task SignInPageIsOpenToEveryone()
    {
        using var client = await SignedInClient.CreateAsync(_host.Factory, null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task ApiNeedsAKeyEvenForSignedInPeople()
    {
        using var admin = await SignedInClient.CreateAsync(_host.Factory, "admin");

        using var read = await admin.GetAsync($"/api/v1/tickets/{await _host.TicketIdAsync()}");
        using var write = await admin.PostAsJsonAsync("/api/v1/tickets", new { externalId = "matrix-x", customerId = "C0001", channel = "api", body = "hi" });

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
    }

    [Fact]
    public async Task ApiKeyScopesDecideWhatItMayDo()
    {
        var key = await _host.CreateKeyAsync(["tickets:read"]);
        using var client = _host.KeyClient(key);

        using var read = await client.GetAsync($"/api/v1/tickets/{await _host.TicketIdAsync()}");
        using var write = await client.PostAsJsonAsync("/api/v1/tickets", new { externalId = "matrix-y", customerId = "C0001", channel = "api", body = "hi" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RevokedKeyIsRefused()
    {
        var key = await _host.CreateKeyAsync(["tickets:read"]);
        var access = _host.Factory.Services.GetRequiredService<SupportConsole.Administration.AccessAdmin>();
        var stored = (await access.KeysAsync(SupportConsole.Identity.ConsoleActor.System("test"))).First(k => key.Contains($"_{k.Prefix}_", StringComparison.Ordinal) || key.StartsWith($"sck_{k.Prefix}", StringComparison.Ordinal));
        using var client = _host.KeyClient(key);
        var ticket = await _host.TicketIdAsync();

        // Used first, so the verified key is cached: the revocation must still apply to the very next request.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);
        await access.RevokeKeyAsync(stored.Id, Identity.ConsoleActor.System("test"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);
    }

    [Fact]
    public async Task KeyRevokedByAnotherInstanceIsRefusedOnceItsChangeArrives()
    {
        var key = await _host.CreateKeyAsync(["tickets:read"]);
        using var client = _host.KeyClient(key);
        var ticket = await _host.TicketIdAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);

        // As another instance would: in the database, past this process's change counters (its caches' age is
        // FreshCacheTests'; here, what its change notification does).
        await using (var db = _host.Factory.Database())
        {
            var hash = ApiKeyFormat.Hash(key);
            Assert.Equal(1, await db.ApiKeys.Where(k => k.Hash == hash).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow)));
        }

        _host.Factory.Services.GetRequiredService<DataChanges>().Follow("api-keys");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);
    }

    [Fact]
    public async Task LastUsedIsRecordedWithoutAWritePerRequest()
    {
        var key = await _host.CreateKeyAsync(["tickets:read"]);
        using var client = _host.KeyClient(key);
        var ticket = await _host.TicketIdAsync();
        var hash = ApiKeyFormat.Hash(key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);
        DateTimeOffset? first;
        await using (var db = _host.Factory.Database())
        {
            first = await db.ApiKeys.Where(k => k.Hash == hash).Select(k => k.LastUsedAt).SingleAsync();
        }

        Assert.NotNull(first);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/tickets/{ticket}")).StatusCode);
        await using (var db = _host.Factory.Database())
        {
            Assert.Equal(first, await db.ApiKeys.Where(k => k.Hash == hash).Select(k => k.LastUsedAt).SingleAsync());
        }
    }

    public sealed class Host : IDisposable
    {
        private Guid? _ticket;

        public AppFactory Factory { get; } = new();

        public async Task<Guid> TicketIdAsync()
        {
            if (_ticket is { } id)
            {
                return id;
            }

            using var response = await Factory.Client().PostAsJsonAsync("/api/v1/tickets",
                new { externalId = "matrix-1", customerId = "C0001", channel = "email", body = "My card payment was declined at the shop" });
            response.EnsureSuccessStatusCode();
            await using var db = Factory.Database();
            _ticket = await db.Tickets.Where(t => t.ExternalId == "matrix-1").Select(t => t.Id).SingleAsync();
            return _ticket.Value;
        }

        public async Task<string> CreateKeyAsync(IReadOnlyCollection<string> scopes)
        {
            var (outcome, key) = await Factory.Services.GetRequiredService<SupportConsole.Administration.AccessAdmin>().CreateKeyAsync("matrix", scopes, SupportConsole.Identity.ConsoleActor.System("test"));
            Assert.True(outcome.Succeeded, outcome.Message);
            return key!;
        }

        /// <summary>A client that sends <paramref name="key"/> and nothing else: no cookie.</summary>
        public HttpClient KeyClient(string key)
        {
            var client = Factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            return client;
        }

        public void Dispose() => Factory.Dispose();
    }
}
