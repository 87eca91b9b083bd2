using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Routing;
using SupportConsole.Review;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Review;

/// <summary>Second opinions on auto-resolved tickets, on the real host and database.</summary>
public sealed class SecondOpinionTests
{
    [Fact]
    public void SamplingIsTheSameForATicketEverywhereAndHitsTheShare()
    {
        var sampler = new SecondOpinionSampler(Options.Create(new SecondOpinionOptions { Share = 0.1 }));
        var ids = Enumerable.Range(0, 20_000).Select(_ => Guid.CreateVersion7()).ToList();

        var sampled = ids.Count(sampler.IsSampled);

        Assert.InRange(sampled / 20_000.0, 0.09, 0.11);
        Assert.All(ids.Take(200), id => Assert.Equal(sampler.IsSampled(id), new SecondOpinionSampler(Options.Create(new SecondOpinionOptions { Share = 0.1 })).IsSampled(id)));
        Assert.DoesNotContain(ids, new SecondOpinionSampler(Options.Create(new SecondOpinionOptions { Share = 0 })).IsSampled);
    }

    [Fact]
    public async Task AnAutoReplyIsQueuedAndTheFirstVerdictCountsWhileASecondIsRefused()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["SecondOpinion:Share"] = "1" });
        var id = await IngestAsync(app, "review-1", "How do I activate my new card?");
        var queue = app.Services.GetRequiredService<SecondOpinionQueue>();
        var labels = app.Services.GetRequiredService<IIntentRouter>().Card.Labels.ToList();

        var item = await queue.ForTicketAsync(id);
        Assert.NotNull(item);
        Assert.Null(item.Verdict);
        Assert.Equal("activate_my_card", item.Intent);

        var missingIntent = await queue.RecordAsync(item.ReviewId, SecondOpinionVerdict.WrongIntent, null, null, labels, "agent@test");
        Assert.False(missingIntent.Succeeded);
        var recorded = await queue.RecordAsync(item.ReviewId, SecondOpinionVerdict.WrongIntent, "card_linking", "customer meant linking", labels, "agent@test");
        Assert.True(recorded.Succeeded, recorded.Message);
        var again = await queue.RecordAsync(item.ReviewId, SecondOpinionVerdict.Correct, null, null, labels, "other@test");
        Assert.False(again.Succeeded);

        var stats = await queue.StatsAsync();
        Assert.Equal((1, 1, 1), (stats.Queued, stats.Reviewed, stats.Wrong));
        await using var db = app.Database();
        Assert.Equal("card_linking", (await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == id)).LabelledIntent);
        var review = await db.SecondOpinionReviews.AsNoTracking().SingleAsync(r => r.TicketId == id);
        Assert.Equal(("agent@test", SecondOpinionVerdict.WrongIntent), (review.ReviewedBy, review.Verdict!.Value));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "second-opinion.recorded" && e.EntityId == id.ToString() && e.Actor == "agent@test"));
    }

    [Fact]
    public async Task TwoAgentsGivingAVerdictAtOnceRecordExactlyOne()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["SecondOpinion:Share"] = "1" });
        var id = await IngestAsync(app, "review-race", "How do I activate my new card?");
        var queue = app.Services.GetRequiredService<SecondOpinionQueue>();
        var labels = app.Services.GetRequiredService<IIntentRouter>().Card.Labels.ToList();
        var item = (await queue.ForTicketAsync(id))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            queue.RecordAsync(item.ReviewId, i % 2 == 0 ? SecondOpinionVerdict.Correct : SecondOpinionVerdict.WrongAnswer, null, null, labels, $"agent{i}@test")));

        Assert.Single(results, r => r.Succeeded);
        await using var db = app.Database();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "second-opinion.recorded" && e.EntityId == id.ToString()));
    }

    [Fact]
    public async Task SuggestedTicketsAreNeverSampled()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["SecondOpinion:Share"] = "1" });
        var id = await IngestAsync(app, "review-suggest", "I would like a refund of 500 euros for the laptop I returned");

        await using var db = app.Database();
        Assert.NotEqual(ConfidenceBand.Auto, (await db.Decisions.AsNoTracking().SingleAsync(d => d.TicketId == id)).Band);
        Assert.False(await db.SecondOpinionReviews.AnyAsync(r => r.TicketId == id));
    }

    private static async Task<Guid> IngestAsync(AppFactory app, string externalId, string body)
    {
        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId = "C0001", channel = "email", body });
        response.EnsureSuccessStatusCode();
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }
}
