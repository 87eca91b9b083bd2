using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Hosting;
using SupportConsole.Knowledge;
using SupportConsole.Routing;
using SupportConsole.Tests.EndToEnd;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Cluster;

/// <summary>Two instances on one PostgreSQL database behave as one console.</summary>
[Collection(DegradedRouterCollection.Name)]
public sealed class TwoInstanceTests(ClusterFixture cluster, BrowserFixture browser, DegradedRouterFixture degraded)
    : IClassFixture<ClusterFixture>, IClassFixture<BrowserFixture>
{
    private const string SuggestedText = "Why was I charged a fee when I paid with my card?";
    private const string AutoText = "How do I activate my new card?";

    [Fact]
    public async Task TicketsIngestedThroughBothInstancesAreStoredOnceEvenAsConcurrentDuplicates()
    {
        var duplicates = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            ClusterFixture.IngestAsync(i % 2 == 0 ? cluster.A : cluster.B, "cluster-dup", SuggestedText)));
        var distinct = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            ClusterFixture.IngestAsync(i % 2 == 0 ? cluster.A : cluster.B, $"cluster-distinct-{i}", AutoText)));

        Assert.All(duplicates.Concat(distinct), r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted, r.Status.ToString()));
        Assert.Single(duplicates.Select(r => r.Body.GetProperty("id").GetString()).Distinct());
        Assert.Single(duplicates, r => r.Status is HttpStatusCode.Created or HttpStatusCode.Accepted);
        await using var db = Database();
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.ExternalId == "cluster-dup"));
        Assert.Equal(60, await db.Tickets.CountAsync(t => t.ExternalId.StartsWith("cluster-distinct-")));
        Assert.Equal(61, await db.Decisions.CountAsync(d => db.Tickets.Any(t => t.Id == d.TicketId && t.ExternalId.StartsWith("cluster-"))));
    }

    [Fact]
    public async Task ASignInCookieFromOneInstanceIsAcceptedByTheOther()
    {
        using var onA = new FormClient(cluster.A.BaseUrl);
        using var signedIn = await onA.SignInAsync("manager@demo.example", "Manager-demo-1");
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        using var onB = new FormClient(cluster.B.BaseUrl);
        foreach (System.Net.Cookie cookie in onA.Cookies.GetAllCookies())
        {
            onB.Cookies.Add(cluster.B.BaseUrl, new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path));
        }

        Assert.Equal(HttpStatusCode.OK, (await onB.Client.GetAsync("/bands")).StatusCode);

        // The antiforgery token A issued is good on B too: B's sign-out form works with it.
        using var signedOut = await onB.Client.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await onA.TokenAsync("/") }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
    }

    [Fact]
    public Task TheKillSwitchFlippedOnOneInstanceChangesTheNextTicketOnTheOtherAndItsBanner() => cluster.WithInstanceOutputAsync(async () =>
    {
        var watcher = await ConsolePage.SignInAsync(browser.Browser, cluster.B.BaseUrl, "manager", "/");
        var admin = await ConsolePage.SignInAsync(browser.Browser, cluster.A.BaseUrl, "admin", "/admin/kill-switch");
        Assert.Equal("Auto", Band((await ClusterFixture.IngestAsync(cluster.B, "cluster-before-kill", AutoText)).Body));

        await admin.ClickAsync("[data-testid=kill-switch-toggle]");
        await admin.FillAsync("[data-testid=kill-switch-reason]", "Cluster test: pausing auto-resolve on A");
        await admin.ClickAsync("[data-testid=kill-switch-confirm-button]");
        await admin.Locator("[data-testid=kill-switch-banner]").WaitForAsync();
        try
        {
            var after = await ClusterFixture.IngestAsync(cluster.B, "cluster-after-kill", AutoText);
            Assert.Equal("Suggest", Band(after.Body));
            Assert.Contains(after.Body.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "kill-switch");

            // B's page was open before the flip: the banner arrives through the change notifications.
            await watcher.Locator("[data-testid=kill-switch-banner]").WaitForAsync();
        }
        finally
        {
            await admin.ClickAsync("[data-testid=kill-switch-toggle]");
            await admin.FillAsync("[data-testid=kill-switch-reason]", "Cluster test: resuming");
            await admin.ClickAsync("[data-testid=kill-switch-confirm-button]");
            await admin.Locator("[data-testid=kill-switch-banner]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        }
    });

    [Fact]
    public Task ABrowserOnOneInstanceSeesATicketIngestedOnTheOtherWithoutReloading() => cluster.WithInstanceOutputAsync(async () =>
    {
        var page = await ConsolePage.SignInAsync(browser.Browser, cluster.B.BaseUrl, "agent", "/queues/suggest");
        var navigations = 0;
        page.FrameNavigated += (_, _) => navigations++;

        var ticket = await ClusterFixture.IngestAsync(cluster.A, "cluster-live", SuggestedText);
        var id = ticket.Body.GetProperty("id").GetString();

        await page.Locator($"a[href^='/tickets/{id}']").WaitForAsync();
        Assert.Equal(0, navigations);
    });

    [Fact]
    public async Task ARecurringJobRunsOncePerScheduleAcrossInstances()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        JobRun first;
        while (true)
        {
            await using (var db = Database())
            {
                var scheduled = await db.JobRuns.AsNoTracking().Where(r => r.TriggeredBy == "schedule" && r.Kind == JobKinds.GoldenEvaluation)
                    .OrderBy(r => r.CreatedAt).FirstOrDefaultAsync(timeout.Token);
                if (scheduled is not null)
                {
                    first = scheduled;
                    break;
                }
            }

            await Task.Delay(500, timeout.Token);
        }

        // Both instances' schedulers had the whole minute to fire too.
        await Task.Delay(TimeSpan.FromSeconds(15), timeout.Token);
        await using var check = Database();
        var minute = new DateTimeOffset(first.CreatedAt.Year, first.CreatedAt.Month, first.CreatedAt.Day, first.CreatedAt.Hour, first.CreatedAt.Minute, 0, TimeSpan.Zero);
        var runs = await check.JobRuns.AsNoTracking()
            .Where(r => r.TriggeredBy == "schedule" && r.Kind == JobKinds.GoldenEvaluation && r.CreatedAt >= minute && r.CreatedAt < minute.AddMinutes(1))
            .ToListAsync(timeout.Token);
        Assert.Single(runs);
    }

    [Fact]
    public async Task ARouterActivatedAndAKnowledgeIndexBuiltElsewhereAreUsedByBothInstances()
    {
        // A third instance (the command-line host) on the same database promotes a model and rebuilds the help-center index.
        using var host = SupportConsoleApp.BuildWorkerHost([
            "--Database:Provider=Postgres", $"--ConnectionStrings:SupportConsole={cluster.Database.ConnectionString}",
            $"--Database:DataDirectory={Path.Combine(Path.GetTempPath(), $"sc-cluster-cli-{Guid.NewGuid():N}")}"]);
        await host.Services.InitializeSupportConsoleAsync();
        var registry = host.Services.GetRequiredService<RouterRegistry>();
        var shipped = registry.ActiveVersion;
        await registry.RegisterAsync(degraded.Directory, RouterRegistry.RetrainedOrigin, RouterModelState.Candidate, null, CancellationToken.None);
        await registry.ActivateAsync(degraded.VersionId, "test", "cluster test: promote elsewhere", CancellationToken.None);
        // The promise is the next ticket within a second; five allow for a busy machine.
        var notified = TimeSpan.FromSeconds(5);
        static string? RouterOf(JsonElement ticket) => ticket.GetProperty("decision").GetProperty("routerVersion").GetString();
        try
        {
            Assert.Equal(degraded.VersionId, RouterOf(await ClusterFixture.IngestUntilAsync(cluster.A, "cluster-router-a", AutoText, t => RouterOf(t) == degraded.VersionId, notified)));
            Assert.Equal(degraded.VersionId, RouterOf(await ClusterFixture.IngestUntilAsync(cluster.B, "cluster-router-b", AutoText, t => RouterOf(t) == degraded.VersionId, notified)));
        }
        finally
        {
            await registry.ActivateAsync(shipped, "test", "cluster test: roll back", CancellationToken.None);
        }

        Assert.Equal(shipped, RouterOf(await ClusterFixture.IngestUntilAsync(cluster.B, "cluster-router-back", AutoText, t => RouterOf(t) == shipped, notified)));

        var before = (await ClusterFixture.IngestAsync(cluster.A, "cluster-kb-before", AutoText)).Body.GetProperty("decision").GetProperty("retrievalIndexVersion").GetString();
        await using (var db = Database())
        {
            var article = await db.KbArticles.SingleAsync(a => a.Id == "card-delivery");
            var section = await db.KbSections.Where(s => s.ArticleId == "card-delivery").OrderBy(s => s.Order).FirstAsync();
            section.Body += " Cluster test sentence.";
            article.Version++;
            await db.SaveChangesAsync();
        }

        var state = await host.Services.GetRequiredService<KnowledgeIndexProvider>().RebuildAsync(null, "test", null, CancellationToken.None);
        Assert.NotEqual(before, state.Version);
        foreach (var instance in new[] { cluster.A, cluster.B })
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var version = (await ClusterFixture.IngestAsync(instance, $"cluster-kb-{instance.Name}-{Guid.NewGuid():N}", AutoText)).Body
                    .GetProperty("decision").GetProperty("retrievalIndexVersion").GetString();
                if (version == state.Version)
                {
                    break;
                }

                await Task.Delay(500, timeout.Token);
            }
        }
    }

    private SupportConsoleDbContext Database() =>
        new PostgresSupportConsoleDbContext(new DbContextOptionsBuilder<PostgresSupportConsoleDbContext>().UseNpgsql(cluster.Database.ConnectionString).Options);

    private static string? Band(System.Text.Json.JsonElement ticket) => ticket.GetProperty("decision").GetProperty("band").GetString();
}
