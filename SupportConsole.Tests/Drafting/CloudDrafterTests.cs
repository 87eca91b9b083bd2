using Microsoft.AspNetCore.Http;
using SupportConsole.Engine.Drafting;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Drafting;

/// <summary>The cloud path against real OpenAI-compatible HTTP servers on 127.0.0.1.</summary>
public sealed class CloudDrafterTests
{
    private static readonly CloudDraftRequest Request = new(
        "Hi, I'm Ada Lovelace (ada@example.com, +44 7700 900123). My card 4111 1111 1111 1111 was charged twice.",
        "Double charge",
        "transaction_charged_twice",
        [new CloudDraftSource("disputes-and-fraud", "Payments you do not recognise", "I was charged twice", "If a payment appears twice, check whether one is pending.")],
        new CustomerIdentity("Ada Lovelace", "ada@example.com", "+44 7700 900123", "4821", null));

    [Fact]
    public async Task DraftComesBackWithTokensAndCostAndNoPersonalDataLeavesTheBuilding()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Respond = _ => Task.FromResult(FakeHttpServer.ChatCompletion("One of the payments is probably pending [1].", promptTokens: 1000, completionTokens: 100));
        var drafter = new FailoverCloudDrafter([Endpoint("primary", server, TimeSpan.FromSeconds(10))]);

        var outcome = await drafter.DraftAsync(Request, CancellationToken.None);

        Assert.Equal("One of the payments is probably pending [1].", outcome.Text);
        Assert.Equal("primary", outcome.Endpoint);
        Assert.Equal(1000, outcome.InputTokens);
        Assert.Equal(100, outcome.OutputTokens);
        Assert.Equal((1000 * 2m / 1_000_000m) + (100 * 8m / 1_000_000m), outcome.CostUsd);
        var sent = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        foreach (var secret in new[] { "Ada", "Lovelace", "ada@example.com", "7700 900123", "4111 1111 1111 1111" })
        {
            Assert.DoesNotContain(secret, sent.Body);
        }

        Assert.Contains("[EMAIL]", sent.Body);
        Assert.Contains("[CARD]", sent.Body);
        Assert.Contains("check whether one is pending", sent.Body);
    }

    [Fact]
    public async Task FailingEndpointFailsOverToTheNext()
    {
        await using var broken = await FakeHttpServer.StartAsync();
        await using var healthy = await FakeHttpServer.StartAsync();
        broken.Respond = _ => Task.FromResult(Results.StatusCode(StatusCodes.Status500InternalServerError));
        healthy.Respond = _ => Task.FromResult(FakeHttpServer.ChatCompletion("Answer from the second endpoint [1]."));
        var drafter = new FailoverCloudDrafter([Endpoint("primary", broken, TimeSpan.FromSeconds(10)), Endpoint("secondary", healthy, TimeSpan.FromSeconds(10))]);

        var outcome = await drafter.DraftAsync(Request, CancellationToken.None);

        Assert.Equal("secondary", outcome.Endpoint);
        Assert.Equal("Answer from the second endpoint [1].", outcome.Text);
        Assert.StartsWith("primary:", Assert.Single(outcome.Failures));
        Assert.Single(broken.Requests);
    }

    [Fact]
    public async Task HangingEndpointTimesOutAndFailsOver()
    {
        await using var hanging = await FakeHttpServer.StartAsync();
        await using var healthy = await FakeHttpServer.StartAsync();
        hanging.Respond = async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            return FakeHttpServer.ChatCompletion("too late");
        };
        healthy.Respond = _ => Task.FromResult(FakeHttpServer.ChatCompletion("On time [1]."));
        var drafter = new FailoverCloudDrafter([Endpoint("slow", hanging, TimeSpan.FromMilliseconds(300)), Endpoint("fast", healthy, TimeSpan.FromSeconds(10))]);

        var outcome = await drafter.DraftAsync(Request, CancellationToken.None);

        Assert.Equal("fast", outcome.Endpoint);
        Assert.Contains("timed out", Assert.Single(outcome.Failures));
        Assert.True(outcome.Latency < TimeSpan.FromSeconds(4), $"took {outcome.Latency}");
    }

    [Fact]
    public async Task AllEndpointsFailingGivesNoDraftAndEveryReason()
    {
        await using var first = await FakeHttpServer.StartAsync();
        await using var second = await FakeHttpServer.StartAsync();
        first.Respond = second.Respond = _ => Task.FromResult(Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        var drafter = new FailoverCloudDrafter([Endpoint("a", first, TimeSpan.FromSeconds(5)), Endpoint("b", second, TimeSpan.FromSeconds(5))]);

        var outcome = await drafter.DraftAsync(Request, CancellationToken.None);

        Assert.Null(outcome.Text);
        Assert.Equal(2, outcome.Failures.Count);
        Assert.Equal(0m, outcome.CostUsd);
    }

    [Fact]
    public async Task WithNoCloudModelConfiguredNothingIsDraftedOrSent()
    {
        var drafter = new NoCloudDrafter();

        var outcome = await drafter.DraftAsync(Request, CancellationToken.None);

        Assert.False(drafter.IsConfigured);
        Assert.Null(outcome.Text);
    }

    private static CloudDraftEndpoint Endpoint(string name, FakeHttpServer server, TimeSpan timeout) =>
        new(name, new Uri(server.BaseUrl, "/v1"), "test-model", "test-key", timeout, new CloudPrice(2m, 8m));
}
