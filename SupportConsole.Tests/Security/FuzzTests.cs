using System.Text;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Security;

/// <summary>
/// Generated bad and odd input for the ticket API and the sign-in form, from a fixed seed (the same inputs every run):
/// never a 5xx, and nothing stored for a request that was refused.
/// </summary>
public sealed class FuzzTests(ApiHost host) : IClassFixture<ApiHost>
{
    private const int Seed = 20261207;
    private const int TicketInputs = 240;
    private const int SignInInputs = 120;

    private static readonly string[] Pieces =
    [
        "", " ", "\u0000", "\t", "\n", "\r\n", "\u2028", "\ud800", "\udc00", "\ud83d\ude00", "\u00e9", "\u202e", "\ufeff", "\"", "\\", "'", "<script>", "=HYPERLINK(\"x\")",
        "javascript:alert(1)", "../../etc/passwd", "%00", "%0d%0a", "{", "}", "[", "]", ":", ",", "null", "true", "1e309", "-0", "0x10", "C0001", "email", "chat",
        new string('a', 129), new string('b', 600), new string('c', 25_000),
    ];

    private static readonly string[] Fields = ["externalId", "customerId", "channel", "subject", "body", "receivedAt"];

    [Fact]
    public async Task TheTicketApiNeverFailsAndStoresNothingItRefused()
    {
        var random = new Random(Seed);
        var client = host.App.Client();
        var before = await host.TicketCountAsync();
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < TicketInputs; i++)
        {
            var externalId = $"fuzz-{i}";
            var (content, contentType) = TicketBody(random, externalId);
            var body = new ByteArrayContent(content);
            body.Headers.TryAddWithoutValidation("Content-Type", contentType);
            var method = random.Next(20) == 0 ? new[] { HttpMethod.Put, HttpMethod.Head, HttpMethod.Patch, HttpMethod.Delete }[random.Next(4)] : HttpMethod.Post;
            using var request = new HttpRequestMessage(method, random.Next(30) == 0 ? $"/api/v1/tickets/{Piece(random)}" : "/api/v1/tickets") { Content = body };
            using var response = await client.SendAsync(request);

            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"input {i} ({contentType}): {status} {await response.Content.ReadAsStringAsync()}");
            if (response.IsSuccessStatusCode && method == HttpMethod.Post)
            {
                accepted.Add(await StoredExternalIdAsync(response) ?? externalId);
            }
            else if (method == HttpMethod.Post && status is not (404 or 414))
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    $"input {i} ({contentType}, {method}): {status} without problem details: {await response.Content.ReadAsStringAsync()}");
            }
        }

        // Every stored ticket is one that was accepted: a refused input left nothing behind.
        await using var db = host.App.Database();
        var stored = await db.Tickets.Where(t => t.ExternalId.StartsWith("fuzz-")).Select(t => t.ExternalId).ToListAsync();
        Assert.Equal(accepted.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        Assert.Equal(before + accepted.Count, await host.TicketCountAsync());
        Assert.True(statuses.Keys.Count(s => s >= 400) >= 3, $"the inputs reached too few kinds of refusal: {string.Join(", ", statuses)}");
    }

    [Fact]
    public async Task TheSignInFormNeverFailsAndSignsInNobodyItRefused()
    {
        var random = new Random(Seed + 1);
        for (var i = 0; i < SignInInputs; i++)
        {
            using var browser = SignedInClient.Browser(host.App, System.Net.IPAddress.Parse($"127.0.{10 + (i / 200)}.{(i % 200) + 1}"));
            var token = random.Next(8) == 0 ? Piece(random) : await browser.TokenAsync("/account/login");
            var form = new List<KeyValuePair<string, string>>();
            foreach (var field in new[] { "email", "password", "returnUrl" })
            {
                if (random.Next(10) > 0)
                {
                    form.Add(new(field, field == "email" && random.Next(3) == 0 ? "agent@demo.example" + Piece(random) : Mixed(random)));
                }
            }

            form.Add(new("__RequestVerificationToken", token));
            using var response = await browser.Client.PostAsync("/account/login", new FormUrlEncodedContent(form));

            Assert.True((int)response.StatusCode < 500, $"input {i}: {(int)response.StatusCode}");
            Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "supportconsole");
        }
    }

    /// <summary>A ticket body: mostly valid JSON with odd values, sometimes broken JSON, other content types, or bytes that are not UTF-8.</summary>
    private static (byte[] Content, string ContentType) TicketBody(Random random, string externalId)
    {
        var contentType = random.Next(12) switch
        {
            0 => "text/plain",
            1 => "application/json; charset=iso-8859-1",
            2 => "application/x-www-form-urlencoded",
            3 => "application/json; charset=utf-8",
            _ => "application/json",
        };
        switch (random.Next(10))
        {
            case 0:
                return (RandomBytes(random), contentType);
            case 1:
                return (Encoding.UTF8.GetBytes(Mixed(random)), contentType);
        }

        var json = new StringBuilder("{");
        foreach (var field in Fields)
        {
            if (random.Next(6) == 0)
            {
                continue;
            }

            var value = field switch
            {
                "externalId" => random.Next(3) == 0 ? externalId + Piece(random) : externalId,
                "customerId" => random.Next(3) == 0 ? Mixed(random) : "C0001",
                "channel" => random.Next(3) == 0 ? Mixed(random) : "email",
                "receivedAt" => random.Next(2) == 0 ? Mixed(random) : DateTimeOffset.UtcNow.AddDays(random.Next(-9000, 3)).ToString("O"),
                _ => random.Next(2) == 0 ? Mixed(random) : "My card payment was declined",
            };
            var literal = random.Next(15) == 0 ? (random.Next(2) == 0 ? "123" : "{\"nested\":[1,2]}") : Quote(value);
            json.Append('"').Append(field).Append("\":").Append(literal).Append(',');
        }

        if (json[^1] == ',')
        {
            json.Length--;
        }

        json.Append(random.Next(20) == 0 ? "" : "}");
        return (Encoding.UTF8.GetBytes(json.ToString()), contentType);
    }

    /// <summary>The external id the API stored (it trims), read back from a successful answer.</summary>
    private static async Task<string?> StoredExternalIdAsync(HttpResponseMessage response)
    {
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.TryGetProperty("externalId", out var id) ? id.GetString() : null;
    }

    private static string Quote(string value)
    {
        var escaped = new StringBuilder("\"");
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or (>= '\ud800' and <= '\udfff') => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.Append('"').ToString();
    }

    private static string Mixed(Random random) => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Piece(random)));

    private static string Piece(Random random) => Pieces[random.Next(Pieces.Length)];

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 200)];
        random.NextBytes(bytes);
        return bytes;
    }
}
