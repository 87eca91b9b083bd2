using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SupportConsole.Identity;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 2: a <c>tickets:write</c> key cannot read a ticket by replaying a known (channel, externalId): the repeat answers
/// with the id and state only, unless the key also holds <c>tickets:read</c>; a repeat with other content is a 409.
/// </summary>
public sealed class ReplayScopeTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const string Body = "My card payment was declined at the shop, can you tell me why?";

    [Fact]
    public async Task AWriteOnlyKeyReplayingAnotherSystemsTicketLearnsOnlyItsIdAndState()
    {
        using var owner = await host.KeyClientAsync(ApiScopes.TicketsWrite, ApiScopes.TicketsRead);
        using var created = await owner.PostAsJsonAsync("/api/v1/tickets", Ticket("replay-1", "C0001", Body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var writer = await host.KeyClientAsync(ApiScopes.TicketsWrite);
        using var replay = await writer.PostAsJsonAsync("/api/v1/tickets", Ticket("replay-1", "C0001", Body));

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var answer = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, answer.GetProperty("id").GetString());
        Assert.True(answer.TryGetProperty("status", out _));
        Assert.Equal(["decided", "id", "status"], answer.EnumerateObject().Select(p => p.Name).Order().ToArray());
        var raw = await replay.Content.ReadAsStringAsync();
        Assert.DoesNotContain("C0001", raw);
        Assert.DoesNotContain("declined", raw);
    }

    [Fact]
    public async Task AKeyThatMayReadGetsTheWholeTicketOnAReplay()
    {
        using var client = await host.KeyClientAsync(ApiScopes.TicketsWrite, ApiScopes.TicketsRead);
        using var first = await client.PostAsJsonAsync("/api/v1/tickets", Ticket("replay-2", "C0002", Body));
        using var replay = await client.PostAsJsonAsync("/api/v1/tickets", Ticket("replay-2", "C0002", Body));

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var answer = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Body, answer.GetProperty("body").GetString());
        Assert.Equal("C0002", answer.GetProperty("customerId").GetString());
    }

    [Theory]
    [InlineData("C0003", "A different message under the same external id")]
    [InlineData("C0099", Body)]
    public async Task AReplayWithOtherContentIsAConflictAndChangesNothing(string customer, string body)
    {
        using var client = await host.KeyClientAsync(ApiScopes.TicketsWrite, ApiScopes.TicketsRead);
        var externalId = $"replay-conflict-{customer}-{body.Length}";
        using var first = await client.PostAsJsonAsync("/api/v1/tickets", Ticket(externalId, "C0003", Body));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await host.TicketCountAsync();

        using var replay = await client.PostAsJsonAsync("/api/v1/tickets", Ticket(externalId, customer, body));

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Body, await replay.Content.ReadAsStringAsync());
        Assert.Equal(before, await host.TicketCountAsync());
    }

    private static object Ticket(string externalId, string customerId, string body) => new { externalId, customerId, channel = "email", body };
}
