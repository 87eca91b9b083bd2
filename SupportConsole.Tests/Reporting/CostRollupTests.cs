using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Accounting;
using SupportConsole.Data.Entities;
using SupportConsole.Reporting;
using SupportConsole.Tests.TestSupport;
using SupportConsole.Tickets;

namespace SupportConsole.Tests.Reporting;

/// <summary>The rollups on the live path (decisions and agents' actions) against the facts, and the rebuild against the live path.</summary>
public sealed class CostRollupTests : IDisposable
{
    private const string SuggestedText = "Why was I charged a fee when I paid with my card?";

    private readonly AppFactory _factory = new();

    [Fact]
    public async Task AgentActionsUpdateTheRollupsOfTheDecisionDayAndARebuildAgrees()
    {
        var actions = _factory.Services.GetRequiredService<TicketActions>();
        var approve = await SuggestAsync("roll-approve");
        var edit = await SuggestAsync("roll-edit");
        var reject = await SuggestAsync("roll-reject");
        await SuggestAsync("roll-untouched");
        await IngestAsync("roll-auto", "How do I activate my new card?");

        Assert.True((await actions.SendAsync(approve.Id, approve.Version, approve.Draft, "agent@demo.example")).Succeeded);
        var edited = approve.Draft.Replace("Hi ", "Hello there ", StringComparison.Ordinal) + "\nThanks for your patience.";
        Assert.True((await actions.SendAsync(edit.Id, edit.Version, edited, "agent@demo.example")).Succeeded);
        Assert.True((await actions.RejectAsync(reject.Id, reject.Version, "wrong article", "agent@demo.example")).Succeeded);

        await using var db = _factory.Database();
        var stats = await db.DailyIntentStats.Where(r => r.Band == ConfidenceBand.Suggest).ToListAsync();
        Assert.Equal(4, stats.Sum(r => r.Tickets));
        Assert.Equal(2, stats.Sum(r => r.DraftsSent));
        Assert.Equal(1, stats.Sum(r => r.DraftsEdited));
        Assert.Equal(1, stats.Sum(r => r.DraftsRejected));
        Assert.InRange(stats.Sum(r => r.EditBasisPointsTotal), 1, 9_999);
        Assert.Equal(2, stats.Sum(r => r.FirstResponses));
        Assert.Equal(1, await db.DailyIntentStats.Where(r => r.Band == ConfidenceBand.Auto).SumAsync(r => r.FirstResponses));
        Assert.Equal(3, await db.DailyResponseTimes.SumAsync(r => r.Responses));
        var editedDraft = await db.Drafts.SingleAsync(d => d.TicketId == edit.Id);
        Assert.Equal(DraftReview.Edited, editedDraft.Review);
        Assert.InRange(editedDraft.EditShare!.Value, 0.01, 0.99);
        Assert.Equal(DraftReview.Rejected, (await db.Drafts.SingleAsync(d => d.TicketId == reject.Id)).Review);
        Assert.NotNull((await db.Tickets.SingleAsync(t => t.Id == approve.Id)).FirstResponseAt);
        await RollupChecks.AssertMatchReceiptsAsync(db);

        var live = await RollupChecks.SnapshotAsync(db);
        var report = await _factory.Services.GetRequiredService<RollupRebuilder>().RebuildAsync("test");
        Assert.Equal(5, report.Tickets);
        await using var after = _factory.Database();
        Assert.Equal(live, await RollupChecks.SnapshotAsync(after));

        var deflection = await _factory.Services.GetRequiredService<CostReports>().DeflectionAsync(ReportFilter.LastDays(7, ReportFilter.Today(TimeProvider.System)));
        Assert.Equal(0.5, deflection.Drafts.EditRate);
        Assert.Equal(1 / 3.0, deflection.Drafts.RejectRate!.Value, 9);
        Assert.NotNull(deflection.ResponseTimes.Single(r => r.Band == "Auto").P50Seconds);
    }

    [Fact]
    public async Task AnOlderDatabaseGetsItsRollupsAndMissingFactsAtStartUp()
    {
        var auto = await IngestAsync("legacy-auto", "How do I activate my new card?");
        var suggest = await SuggestAsync("legacy-suggest");
        Assert.True((await _factory.Services.GetRequiredService<TicketActions>().SendAsync(suggest.Id, suggest.Version, suggest.Draft + " Edited.", "agent@demo.example")).Succeeded);
        await using (var db = _factory.Database())
        {
            // As a database from before cost reporting: no rollups, no version, none of the new facts.
            await db.DailyStageCosts.ExecuteDeleteAsync();
            await db.DailyIntentStats.ExecuteDeleteAsync();
            await db.DailyReasonCounts.ExecuteDeleteAsync();
            await db.DailyCustomerStats.ExecuteDeleteAsync();
            await db.DailyResponseTimes.ExecuteDeleteAsync();
            await db.Settings.Where(s => s.Key == RollupRebuilder.VersionSetting).ExecuteDeleteAsync();
            await db.Tickets.ExecuteUpdateAsync(s => s.SetProperty(t => t.FirstResponseAt, (DateTimeOffset?)null));
            await db.Drafts.ExecuteUpdateAsync(s => s.SetProperty(d => d.Review, (DraftReview?)null).SetProperty(d => d.EditShare, (double?)null));
        }

        var report = await _factory.Services.GetRequiredService<RollupRebuilder>().EnsureCurrentAsync();

        Assert.NotNull(report);
        Assert.Equal(2, report!.BackfilledTickets);
        Assert.Equal(1, report.BackfilledDrafts);
        await using var check = _factory.Database();
        await RollupChecks.AssertMatchReceiptsAsync(check);
        Assert.Equal(1, await check.DailyIntentStats.SumAsync(r => r.DraftsEdited));
        Assert.NotNull((await check.Tickets.SingleAsync(t => t.Id == Guid.Parse(auto.GetProperty("id").GetString()!))).FirstResponseAt);
        Assert.Null(await _factory.Services.GetRequiredService<RollupRebuilder>().EnsureCurrentAsync());
    }

    private async Task<JsonElement> IngestAsync(string externalId, string body)
    {
        using var response = await _factory.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId = "C0021", channel = "email", body });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<(Guid Id, long Version, string Draft)> SuggestAsync(string externalId)
    {
        var ticket = await IngestAsync(externalId, SuggestedText);
        Assert.Equal("Suggest", ticket.GetProperty("decision").GetProperty("band").GetString());
        var id = Guid.Parse(ticket.GetProperty("id").GetString()!);
        await using var db = _factory.Database();
        return (id, await db.Tickets.Where(t => t.Id == id).Select(t => t.Version).SingleAsync(), ticket.GetProperty("draft").GetProperty("originalText").GetString()!);
    }

    public void Dispose() => _factory.Dispose();
}
