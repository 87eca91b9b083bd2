using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Reporting;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Api;

/// <summary>The report endpoints on the real host: their numbers against the receipts, filters, who may read them, CSV.</summary>
public sealed class ReportApiTests : IClassFixture<ReportApiTests.Host>
{
    private readonly Host _host;

    public ReportApiTests(Host host) => _host = host;

    [Fact]
    public async Task SummaryAgreesWithTheReceiptsToTheCent()
    {
        await _host.SeedAsync();
        using var response = await _host.Factory.Client().GetAsync("/api/v1/costs/summary");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        await using var db = _host.Factory.Database();
        var receiptNanos = await db.CostReceipts.SumAsync(r => r.CostNanosUsd);
        var decided = await db.Tickets.CountAsync(t => t.DecidedAt != null);
        var auto = await db.Decisions.CountAsync(d => d.Band == SupportConsole.Data.Entities.ConfidenceBand.Auto);
        Assert.Equal(decided, summary.GetProperty("tickets").GetInt64());
        Assert.Equal(receiptNanos / 1_000_000_000m, summary.GetProperty("costUsd").GetDecimal());
        Assert.Equal(receiptNanos, summary.GetProperty("costNanosUsd").GetInt64());
        Assert.Equal(auto / (double)decided, summary.GetProperty("autoResolvedShare").GetDouble(), 9);
        var cost = receiptNanos / 1_000_000_000m;
        Assert.Equal(decided * 0.048m - cost, summary.GetProperty("savingsVsFrontierUsd").GetDecimal());
        Assert.Equal(auto * 0.99m - cost, summary.GetProperty("savingsVsVendorUsd").GetDecimal());
        Assert.Equal(cost / auto, summary.GetProperty("costPerAutoResolutionUsd").GetDecimal());
        Assert.Equal(cost / decided, summary.GetProperty("costPerTicketUsd").GetDecimal());
        Assert.Equal(1.0, summary.GetProperty("localShare").GetDouble());
        Assert.Equal(receiptNanos / 1_000_000_000m, summary.GetProperty("byStage").EnumerateArray().Sum(s => s.GetProperty("costUsd").GetDecimal()));
        await RollupChecks.AssertMatchReceiptsAsync(db);
    }

    [Fact]
    public async Task CustomersHaveOneRowEachWithTheirOwnReceipts()
    {
        await _host.SeedAsync();
        using var response = await _host.Factory.Client().GetAsync("/api/v1/costs/customers");

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rows = report.GetProperty("customers").EnumerateArray().ToList();
        await using var db = _host.Factory.Database();
        var byCustomer = await db.CostReceipts.GroupBy(r => r.CustomerId).Select(g => new { g.Key, Nanos = g.Sum(r => r.CostNanosUsd) }).ToListAsync();
        Assert.Equal(byCustomer.Count, rows.Count);
        foreach (var expected in byCustomer)
        {
            var row = Assert.Single(rows, r => r.GetProperty("customerId").GetString() == expected.Key);
            Assert.Equal(expected.Nanos / 1_000_000_000m, row.GetProperty("costUsd").GetDecimal());
            Assert.True(row.GetProperty("tickets").GetInt64() > 0);
            Assert.InRange(row.GetProperty("autoResolvedShare").GetDouble(), 0, 1);
            Assert.Equal(JsonValueKind.Null, row.GetProperty("budgetUsd").ValueKind);
        }

        Assert.Equal(4, report.GetProperty("pareto").GetArrayLength());
    }

    [Fact]
    public async Task ChannelFilterKeepsOnlyThatChannel()
    {
        await _host.SeedAsync();
        using var response = await _host.Factory.Client().GetAsync("/api/v1/costs/summary?channel=chat");

        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        await using var db = _host.Factory.Database();
        var chatNanos = await db.CostReceipts.Where(r => db.Tickets.Any(t => t.Id == r.TicketId && t.Channel == "chat")).SumAsync(r => r.CostNanosUsd);
        Assert.Equal(await db.Tickets.CountAsync(t => t.Channel == "chat"), summary.GetProperty("tickets").GetInt64());
        Assert.Equal(chatNanos / 1_000_000_000m, summary.GetProperty("costUsd").GetDecimal());
    }

    [Theory]
    [InlineData("/api/v1/costs/summary?from=2026-13-01", "from")]
    [InlineData("/api/v1/costs/summary?to=yesterday", "to")]
    [InlineData("/api/v1/costs/customers?from=2026-11-10&to=2026-11-01", "from")]
    [InlineData("/api/v1/costs/customers?from=2000-01-01&to=2026-11-01", "from")]
    [InlineData("/api/v1/deflection/summary?channel=Bad%20Channel", "channel")]
    [InlineData("/api/v1/reports/cost-periods.csv?granularity=hour", "granularity")]
    [InlineData("/api/v1/reports/customer-tickets.csv", "customer")]
    public async Task BadFiltersAre400ProblemDetails(string path, string field)
    {
        using var response = await _host.Factory.Client().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Fact]
    public async Task ReportsAreForManagersAndForKeysWithTheReportingScope()
    {
        const string path = "/api/v1/costs/summary";
        foreach (var (role, expected) in new[] { ((string?)null, HttpStatusCode.Unauthorized), ("agent", HttpStatusCode.Forbidden),
                     ("manager", HttpStatusCode.OK), ("admin", HttpStatusCode.OK) })
        {
            using var client = await SignedInClient.CreateAsync(_host.Factory, role);
            using var response = await client.GetAsync(path);
            Assert.True(expected == response.StatusCode, $"{role ?? "anonymous"}: expected {expected}, got {(int)response.StatusCode}");
            if (expected != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        foreach (var (scopes, expected) in new[] { (new[] { "tickets:read", "tickets:write" }, HttpStatusCode.Forbidden), (["reports:read"], HttpStatusCode.OK) })
        {
            var (outcome, key) = await _host.Factory.Services.GetRequiredService<Administration.AccessAdmin>().CreateKeyAsync("reports", scopes, Identity.ConsoleActor.System("test"));
            Assert.True(outcome.Succeeded, outcome.Message);
            using var client = _host.Factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            Assert.Equal(expected, (await client.GetAsync(path)).StatusCode);
            Assert.Equal(expected, (await client.GetAsync("/api/v1/reports/customers.csv")).StatusCode);
        }

        using var wrongKey = _host.Factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "sck_nothere0_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task CsvExportsQuoteFieldsAndFollowTheFilter()
    {
        await _host.SeedAsync();
        await using (var db = _host.Factory.Database())
        {
            await db.Customers.Where(c => c.Id == "C0002").ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Doe, \"JD\" John"));
        }

        using var manager = await SignedInClient.CreateAsync(_host.Factory, "manager");
        using var response = await manager.GetAsync("/api/v1/reports/customers.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("customer_id,name,plan,tickets,", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("C0002,\"Doe, \"\"JD\"\" John\",", StringComparison.Ordinal));

        var chat = await (await manager.GetAsync("/api/v1/reports/deflection-channels.csv?channel=chat")).Content.ReadAsStringAsync();
        Assert.Equal(2, chat.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("\r\nchat,", chat);

        using var unknown = await manager.GetAsync("/api/v1/reports/no-such-table.csv");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void CsvQuotingFollowsRfc4180()
    {
        var table = new CsvTable("t", ["a", "b"], [["plain", "with,comma"], ["quote\"d", "line\nbreak"]]);

        Assert.Equal("a,b\r\nplain,\"with,comma\"\r\n\"quote\"\"d\",\"line\nbreak\"\r\n", table.ToCsv());
    }

    public sealed class Host : IDisposable
    {
        private readonly SemaphoreSlim _seeded = new(1, 1);
        private bool _done;

        public AppFactory Factory { get; } = new();

        /// <summary>A few tickets on two channels: auto, suggest and escalated (uncertified, no cloud model).</summary>
        public async Task SeedAsync()
        {
            await _seeded.WaitAsync();
            try
            {
                if (_done)
                {
                    return;
                }

                var tickets = new[]
                {
                    ("C0001", "email", "How do I activate my new card?"),
                    ("C0001", "chat", "Why was I charged a fee when I paid with my card?"),
                    ("C0002", "chat", "How do I activate my new card?"),
                    ("C0002", "email", "Is your office open on bank holidays, and can I visit it?"),
                    ("C0003", "chat", "I want to close my account and get my money back"),
                };
                for (var i = 0; i < tickets.Length; i++)
                {
                    var (customer, channel, body) = tickets[i];
                    using var response = await Factory.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId = $"report-{i}", customerId = customer, channel, body });
                    response.EnsureSuccessStatusCode();
                }

                _done = true;
            }
            finally
            {
                _seeded.Release();
            }
        }

        public void Dispose() => Factory.Dispose();
    }
}
