using System.Net;
using System.Text;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Hole 9: input the API accepted but should not: control characters and NUL in identifiers, dates before 2000 or more
/// than a day ahead, another charset than UTF-8 (each a 4xx with problem details, nothing stored); HEAD and other wrong
/// methods answer 405.
/// </summary>
public sealed class InputValidationTests(ApiHost host) : IClassFixture<ApiHost>
{
    public static TheoryData<string, HttpStatusCode> BadTickets => new()
    {
        { Json(externalId: "nul\\u0000id"), HttpStatusCode.BadRequest },
        { Json(externalId: "tab\\tid"), HttpStatusCode.BadRequest },
        { Json(externalId: "line\\nbreak"), HttpStatusCode.BadRequest },
        { Json(externalId: "line\\u2028separator"), HttpStatusCode.BadRequest },
        { Json(externalId: "half\\ud800surrogate"), HttpStatusCode.BadRequest },
        { Json(channel: "email\\n"), HttpStatusCode.BadRequest },
        { Json(channel: "em\\u0000ail"), HttpStatusCode.BadRequest },
        { Json(body: "nul \\u0000 in the body"), HttpStatusCode.BadRequest },
        { Json(receivedAt: "1999-12-31T23:59:59Z"), HttpStatusCode.BadRequest },
        { Json(receivedAt: "0001-01-01T00:00:00Z"), HttpStatusCode.BadRequest },
        { Json(receivedAt: DateTimeOffset.UtcNow.AddDays(2).ToString("O")), HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadTickets))]
    public async Task ABadTicketIsRefusedWithProblemDetailsAndNothingIsStored(string json, HttpStatusCode expected)
    {
        var before = await host.TicketCountAsync();

        using var response = await host.App.Client().PostAsync("/api/v1/tickets", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await host.TicketCountAsync());
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("utf-16")]
    [InlineData("windows-1252")]
    public async Task AnotherCharsetThanUtf8IsRefused(string charset)
    {
        var before = await host.TicketCountAsync();
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(Json(externalId: $"charset-{charset}", body: "Caf\u00e9 card declined")));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"application/json; charset={charset}");

        using var response = await host.App.Client().PostAsync("/api/v1/tickets", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await host.TicketCountAsync());
    }

    [Fact]
    public async Task Utf8NamedOrNotIsAccepted()
    {
        foreach (var (contentType, id) in new[] { ("application/json; charset=utf-8", "utf8-named"), ("application/json", "utf8-unnamed"), ("application/json; charset=\"UTF-8\"", "utf8-quoted") })
        {
            var content = new StringContent(Json(externalId: id), Encoding.UTF8);
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            using var response = await host.App.Client().PostAsync("/api/v1/tickets", content);
            Assert.True(response.IsSuccessStatusCode, $"{contentType}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("HEAD", "/api/v1/tickets")]
    [InlineData("HEAD", "/api/v1/tickets/0195f5c2-0000-7000-8000-000000000000")]
    [InlineData("GET", "/api/v1/tickets")]
    [InlineData("PUT", "/api/v1/tickets")]
    [InlineData("DELETE", "/api/v1/tickets/0195f5c2-0000-7000-8000-000000000000")]
    [InlineData("POST", "/api/v1/tickets/0195f5c2-0000-7000-8000-000000000000")]
    public async Task AWrongMethodOnTheTicketApiIs405(string method, string path)
    {
        using var response = await host.App.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task HeadOnTheReportsApiIs405ForAKeyThatMayReadThem()
    {
        using var response = await host.App.Client().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/costs/summary"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static string Json(string externalId = "valid-id", string channel = "email", string body = "My card was declined", string? receivedAt = null) =>
        $"{{\"externalId\":\"{externalId}-{Guid.NewGuid():N}\",\"customerId\":\"C0001\",\"channel\":\"{channel}\",\"body\":\"{body}\"{(receivedAt is null ? "" : $",\"receivedAt\":\"{receivedAt}\"")}}}";
}
