using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Changes;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;
using SupportConsole.Knowledge;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Jobs;

/// <summary>Re-embedding on the real Hangfire server (in-memory storage) and the real database.</summary>
public sealed class KnowledgeReembedJobTests
{
    private const string Marker = "Quokkabanking";

    [Fact]
    public async Task AnArticleEditBuildsANewIndexWhileSearchesKeepAnsweringFromTheOldOne()
    {
        using var app = new AppFactory();
        var index = app.Services.GetRequiredService<KnowledgeIndexProvider>();
        var changes = app.Services.GetRequiredService<ChangeFeed>();
        var before = index.Current.IndexVersion;
        Assert.DoesNotContain(index.Current.Search(Marker, null, 3), s => s.SectionTitle.Contains(Marker, StringComparison.Ordinal));

        using var atSwap = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var subscription = changes.Subscribe(JobTopics.RunChanged, run =>
        {
            // Raised on the job's own thread just before the new index goes live: hold it there while the test searches.
            if (run.Kind == JobKinds.KnowledgeReembed && run.ProgressMessage?.StartsWith("built", StringComparison.Ordinal) == true)
            {
                atSwap.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            }
        });

        var (articleId, version, markdown) = await ArticleAsync(app, "card-delivery");
        var saved = await app.Services.GetRequiredService<KnowledgeAdmin>().SaveAsync(articleId, version,
            markdown + $"\n\n## What is {Marker}?\n{Marker} is the new way to track your card from the app, every step of the way.\n", "manager@test");
        Assert.True(saved.Succeeded, saved.Message);

        Assert.True(atSwap.Wait(TimeSpan.FromSeconds(60)), "the re-embedding job did not reach the swap");
        Assert.Equal(before, index.Current.IndexVersion);
        Assert.DoesNotContain(index.Current.Search(Marker, null, 3), s => s.SectionTitle.Contains(Marker, StringComparison.Ordinal));
        var during = await IngestAsync(app, "during-rebuild", "Where is my card? It has not arrived yet.");
        Assert.Equal(before, during.GetProperty("decision").GetProperty("retrievalIndexVersion").GetString());
        release.Set();

        await using var db = app.Database();
        var run = await db.JobRuns.AsNoTracking().Where(r => r.Kind == JobKinds.KnowledgeReembed).SingleAsync();
        run = await JobWaits.UntilEndedAsync(app, run.Id);
        Assert.Equal(JobRunState.Succeeded, run.State);
        Assert.Equal(1.0, run.Progress);

        var after = index.Current.IndexVersion;
        Assert.NotEqual(before, after);
        Assert.Contains(index.Current.Search(Marker, null, 3), s => s.SectionTitle.Contains(Marker, StringComparison.Ordinal));
        var build = await db.KnowledgeIndexBuilds.AsNoTracking().SingleAsync(b => b.JobRunId == run.Id);
        Assert.Equal(after, build.IndexVersion);
        Assert.True(build.Chunks > 0 && build.DurationMilliseconds > 0);
        Assert.Equal(after, (await db.Settings.AsNoTracking().SingleAsync(s => s.Key == SettingKeys.KnowledgeIndexVersion)).Value);
        var next = await IngestAsync(app, "after-rebuild", "Where is my card? It has not arrived yet.");
        Assert.Equal(after, next.GetProperty("decision").GetProperty("retrievalIndexVersion").GetString());
    }

    [Fact]
    public async Task AskingTwiceWhileItWaitsIsOneRunAndARepeatedExecutionDoesNothing()
    {
        // No Hangfire server in this app: queued runs stay queued, so the two requests meet the same run.
        using var app = new AppFactory(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        var scheduler = app.Services.GetRequiredService<JobScheduler>();

        var requests = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => scheduler.EnqueueAsync(JobKinds.KnowledgeReembed, "test")));

        Assert.Single(requests.Select(r => r.Id).Distinct());
        await using (var db = app.Database())
        {
            Assert.Equal(1, await db.JobRuns.CountAsync(r => r.Kind == JobKinds.KnowledgeReembed));
        }

        var job = app.Services.GetRequiredService<KnowledgeReembedJob>();
        await job.RunAsync(requests[0].Id, CancellationToken.None);
        await job.RunAsync(requests[0].Id, CancellationToken.None);
        await using var check = app.Database();
        var run = await check.JobRuns.AsNoTracking().SingleAsync(r => r.Id == requests[0].Id);
        Assert.Equal(JobRunState.Succeeded, run.State);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(1, await check.KnowledgeIndexBuilds.CountAsync(b => b.JobRunId == run.Id));
    }

    [Fact]
    public async Task AQueuedRunCancelledBeforeItStartsNeverRuns()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        var scheduler = app.Services.GetRequiredService<JobScheduler>();
        var run = await scheduler.EnqueueAsync(JobKinds.KnowledgeReembed, "test");

        Assert.True(await scheduler.CancelAsync(run.Id, "admin@test"));
        await app.Services.GetRequiredService<KnowledgeReembedJob>().RunAsync(run.Id, CancellationToken.None);

        await using var db = app.Database();
        var stored = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        Assert.Equal(JobRunState.Cancelled, stored.State);
        Assert.Equal(0, stored.Attempts);
        Assert.False(await db.KnowledgeIndexBuilds.AnyAsync(b => b.JobRunId == run.Id));
        Assert.False(await scheduler.CancelAsync(run.Id, "admin@test"));
    }

    private static async Task<(string Id, int Version, string Markdown)> ArticleAsync(AppFactory app, string id)
    {
        await using var db = app.Database();
        var article = await db.KbArticles.AsNoTracking().SingleAsync(a => a.Id == id);
        return (article.Id, article.Version, article.Markdown);
    }

    private static async Task<JsonElement> IngestAsync(AppFactory app, string externalId, string body)
    {
        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets", new { externalId, customerId = "C0001", channel = "email", body });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
