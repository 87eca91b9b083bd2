using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Components;

/// <summary>Errors as browsers and API clients get them, on the real host: HTML pages with a way on, problem details for /api.</summary>
public sealed class ErrorPagesTests(ErrorPagesTests.Host host) : IClassFixture<ErrorPagesTests.Host>
{
    [Fact]
    public async Task AnUnknownAddressIsAnHtml404WithAWayOn()
    {
        using var client = await SignedInClient.CreateAsync(host.Factory, "agent");

        using var response = await GetHtmlAsync(client, "/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is nothing at this address", html);
        Assert.Contains("href=\"/\"", html);
    }

    [Fact]
    public async Task APageTheRoleMayNotOpenIsAnHtml403WithAWayBack()
    {
        using var client = await SignedInClient.CreateAsync(host.Factory, "agent");

        using var response = await GetHtmlAsync(client, "/admin/users", referer: new Uri(client.BaseAddress!, "/queues/suggest"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("You do not have access to this page", html);
        Assert.Contains("href=\"/queues/suggest\"", html);
        Assert.Contains("data-history-back", html);
    }

    [Fact]
    public async Task AFailureIsAnHtml500WithAReferenceAndTheApiGetsProblemDetails()
    {
        using var client = await SignedInClient.CreateAsync(host.Factory, "agent");

        using var page = await GetHtmlAsync(client, FailingRequests.PagePath);
        using var api = await host.Factory.Client().GetAsync(FailingRequests.ApiPath);

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", html);
        Assert.Matches("data-testid=\"error-reference\">[^<]{8,}<", html);
        Assert.DoesNotContain(FailingRequests.Message, html);
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownApiAddressIsProblemDetailsNotAPage()
    {
        using var response = await host.Factory.Client().GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static Task<HttpResponseMessage> GetHtmlAsync(HttpClient client, string path, Uri? referer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        if (referer is not null)
        {
            request.Headers.Referrer = referer;
        }

        return client.SendAsync(request);
    }

    /// <summary>The real app plus two addresses that fail, behind its own error handling (a test can only break something on purpose).</summary>
    public sealed class Host : IDisposable
    {
        public AppFactory Factory { get; } = new FailingAppFactory();

        public void Dispose() => Factory.Dispose();
    }

    private sealed class FailingAppFactory : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingRequests>());
        }
    }

    private sealed class FailingRequests : IStartupFilter
    {
        public const string PagePath = "/test-failure";
        public const string ApiPath = "/api/test-failure";
        public const string Message = "a test failure on purpose";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);

            // After the console's own pipeline: only requests no endpoint took get here, inside its error handling.
            app.Use((HttpContext context, RequestDelegate rest) => context.Request.Path == PagePath || context.Request.Path == ApiPath
                ? throw new InvalidOperationException(Message)
                : rest(context));
        };
    }
}
