using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Ingest;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Api;

/// <summary>The ticket API on the real host (Kestrel on 127.0.0.1) with a real SQLite file.</summary>
public sealed class TicketApiTests : IClassFixture<TicketApiTests.Host>
{
    private readonly Host _host;

    public TicketApiTests(Host host) => _host = host;

    [Fact]
    public async Task IngestStoresTheTicketAndAnswersWithItsExplainedDecision()
    {
        var client = _host.Factory.Client();

        using var response = await client.PostAsJsonAsync("/api/v1/tickets", Ticket("explain-1", "How do I activate my new card?"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var decision = created.GetProperty("decision");
        Assert.Equal("activate_my_card", decision.GetProperty("intent").GetString());
        Assert.True(decision.GetProperty("certified").GetBoolean());
        Assert.Equal("Auto", decision.GetProperty("band").GetString());
        Assert.Equal(3, decision.GetProperty("sources").GetArrayLength());
        Assert.NotEmpty(decision.GetProperty("reasons").EnumerateArray());
        Assert.Contains("Source: Activating and linking your card", created.GetProperty("draft").GetProperty("originalText").GetString());
        Assert.Equal(["ingest", "route", "retrieve", "draft", "gate", "act"],
            created.GetProperty("receipts").EnumerateArray().Select(r => r.GetProperty("stage").GetString()));

        var read = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
        Assert.Equal(created.GetProperty("id").GetString(), read.GetProperty("id").GetString());
        Assert.Equal("AutoResolved", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConcurrentDuplicatesStoreOneTicketAndAllGetTheOriginal()
    {
        var client = _host.Factory.Client();
        var ticket = Ticket("dup-1", "My card payment is still pending since Monday");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsJsonAsync("/api/v1/tickets", ticket)));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(ids.Distinct());
        Assert.Single(responses, r => r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted);
        await using var db = _host.Factory.Database();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.ExternalId == "dup-1"));
        Assert.Equal(1, await db.Decisions.CountAsync(d => db.Tickets.Any(t => t.Id == d.TicketId && t.ExternalId == "dup-1")));
    }

    [Fact]
    public async Task UnknownCustomerBecomesACustomerWithNoRecords()
    {
        var client = _host.Factory.Client();

        using var response = await client.PostAsJsonAsync("/api/v1/tickets", Ticket("new-customer-1", "What is the exchange rate for euros?", customer: "NEW-42"));

        Assert.True(response.IsSuccessStatusCode);
        await using var db = _host.Factory.Database();
        var customer = await db.Customers.Include(c => c.Transactions).SingleAsync(c => c.Id == "NEW-42");
        Assert.Null(customer.Name);
        Assert.Empty(customer.Transactions);
    }

    [Theory]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("null", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"bad-1\",\"customerId\":\"C0001\",\"channel\":\"email\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"bad-2\",\"customerId\":\"C0001\",\"channel\":\"E MAIL\",\"body\":\"hi\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"bad-3\",\"customerId\":\"C0001\",\"channel\":\"email\",\"body\":\"   \"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"bad-4\",\"customerId\":\"C0001\",\"channel\":\"email\",\"body\":\"hi\",\"receivedAt\":\"yesterday\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("externalId=bad-5", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task BadInputIsRefusedWithProblemDetailsAndNothingIsStored(string body, string contentType, HttpStatusCode expected)
    {
        var before = await CountTickets();

        using var response = await _host.Factory.Client().PostAsync("/api/v1/tickets", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountTickets());
    }

    [Fact]
    public async Task OversizedTicketIsRefusedAndNothingIsStored()
    {
        var before = await CountTickets();

        using var response = await _host.Factory.Client().PostAsJsonAsync("/api/v1/tickets", Ticket("huge-1", new string('x', 70_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountTickets());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("sck_abcdefgh_notarealkeynotarealkeynotarealkey")]
    public async Task MissingOrWrongKeyIsUnauthorizedAndNothingIsStored(string? key)
    {
        var before = await CountTickets();
        _host.Factory.StartServer();
        using var client = _host.Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        using var response = await client.PostAsJsonAsync("/api/v1/tickets", Ticket("nokey-1", "hello"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountTickets());
    }

    [Fact]
    public async Task UnknownTicketIsNotFound()
    {
        using var response = await _host.Factory.Client().GetAsync($"/api/v1/tickets/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HardRuleEscalatesALegalThreat()
    {
        using var response = await _host.Factory.Client().PostAsJsonAsync("/api/v1/tickets",
            Ticket("legal-1", "My card still hasn't arrived after three weeks. I will speak to my lawyer about this."));

        var decision = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision");
        Assert.Equal("Escalate", decision.GetProperty("band").GetString());
        Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "hard-rule:legal-threat");
    }

    [Fact]
    public async Task UndecidedTicketLeftByACrashIsFinishedByRecovery()
    {
        await using (var db = _host.Factory.Database())
        {
            db.Tickets.Add(new Ticket
            {
                Id = Guid.CreateVersion7(),
                Channel = "email",
                ExternalId = "crashed-1",
                CustomerId = "C0002",
                Body = "How can I top up with a card?",
                ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
                IngestedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
                Status = TicketStatus.Received,
            });
            await db.SaveChangesAsync();
        }

        var recovered = await _host.Factory.Services.GetRequiredService<TicketRecoveryService>().RecoverAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(recovered >= 1);
        await using var check = _host.Factory.Database();
        var ticket = await check.Tickets.Include(t => t.Decision).Include(t => t.Receipts).SingleAsync(t => t.ExternalId == "crashed-1");
        Assert.NotEqual(TicketStatus.Received, ticket.Status);
        Assert.NotNull(ticket.Decision);
        Assert.Contains(ticket.Receipts, r => r.Stage == "ingest" && r.Model == "ingest (recovered)");
    }

    [Fact]
    public async Task KillSwitchTurnsTheVeryNextAutoTicketIntoSuggest()
    {
        var client = _host.Factory.Client();
        await SetKillSwitch("on");
        try
        {
            using var response = await client.PostAsJsonAsync("/api/v1/tickets", Ticket("kill-1", "How do I activate my new card?"));

            var decision = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision");
            Assert.Equal("Suggest", decision.GetProperty("band").GetString());
            Assert.Equal("Auto", decision.GetProperty("policyBand").GetString());
            Assert.True(decision.GetProperty("killSwitchEngaged").GetBoolean());
            Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "kill-switch");
        }
        finally
        {
            await SetKillSwitch("off");
        }

        await using var db = _host.Factory.Database();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.EntityId == SettingKeys.KillSwitch && e.Action == "setting.changed"));
    }

    private async Task SetKillSwitch(string value)
    {
        await using var db = _host.Factory.Database();
        var row = await db.Settings.SingleAsync(s => s.Key == SettingKeys.KillSwitch);
        _host.Factory.Services.GetRequiredService<SettingsStore>().Write(db, row, value, "test-admin", "integration test");
        await db.SaveChangesAsync();
    }

    private async Task<int> CountTickets()
    {
        await using var db = _host.Factory.Database();
        return await db.Tickets.CountAsync();
    }

    private static object Ticket(string externalId, string body, string customer = "C0001") =>
        new { externalId, customerId = customer, channel = "email", body };

    public sealed class Host : IDisposable
    {
        public AppFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
