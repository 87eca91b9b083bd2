using Microsoft.EntityFrameworkCore;
using SupportConsole.Knowledge;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Administration;

/// <summary>Articles as drafts, publications with a kept history, revert, and new articles, on the real database.</summary>
public sealed class KnowledgeAdminTests(KnowledgeAdminTests.Host host) : IClassFixture<KnowledgeAdminTests.Host>
{
    private const string Manager = "manager@demo.example";

    private KnowledgeAdmin Knowledge => host.Factory.Services.GetRequiredService<KnowledgeAdmin>();

    [Fact]
    public async Task ADraftChangesNothingLiveUntilItIsPublishedAsTheNextVersion()
    {
        var (version, markdown) = await host.ArticleAsync("fees-and-charges");
        var edited = markdown + "\n\n## Is there a fee for draft testing?\nNo, draft testing is always free of charge for every plan we offer.\n";

        var draft = await Knowledge.SaveDraftAsync("fees-and-charges", version, edited, Manager);

        Assert.True(draft.Succeeded, draft.Message);
        await using (var db = host.Factory.Database())
        {
            var live = await db.KbArticles.Include(a => a.Sections).SingleAsync(a => a.Id == "fees-and-charges");
            Assert.Equal(version, live.Version);
            Assert.DoesNotContain(live.Sections, s => s.Title.Contains("draft testing", StringComparison.Ordinal));
            Assert.Equal(edited, (await db.KbDrafts.SingleAsync(d => d.ArticleId == "fees-and-charges")).Markdown);
        }

        var published = await Knowledge.PublishAsync("fees-and-charges", version, edited, Manager);

        Assert.True(published.Succeeded, published.Message);
        await using var after = host.Factory.Database();
        var article = await after.KbArticles.Include(a => a.Sections).SingleAsync(a => a.Id == "fees-and-charges");
        Assert.Equal(version + 1, article.Version);
        Assert.Contains(article.Sections, s => s.Title == "Is there a fee for draft testing?");
        Assert.False(await after.KbDrafts.AnyAsync(d => d.ArticleId == "fees-and-charges"));
        Assert.Equal([version + 1, version], (await Knowledge.VersionsAsync("fees-and-charges")).Select(v => v.Version).Take(2));
        Assert.Equal(markdown, await Knowledge.VersionTextAsync("fees-and-charges", version));
    }

    [Fact]
    public async Task RevertingPublishesTheOldTextAsANewVersionAndKeepsEverythingBetween()
    {
        var (version, original) = await host.ArticleAsync("card-delivery");
        Assert.True((await Knowledge.PublishAsync("card-delivery", version, original.Replace("working days", "business days"), Manager)).Succeeded);

        var stale = await Knowledge.RevertAsync("card-delivery", version, version, Manager);
        var reverted = await Knowledge.RevertAsync("card-delivery", version, version + 1, Manager);

        Assert.False(stale.Succeeded);
        Assert.True(reverted.Succeeded, reverted.Message);
        var (now, text) = await host.ArticleAsync("card-delivery");
        Assert.Equal(version + 2, now);
        Assert.Equal(original, text);
        var versions = await Knowledge.VersionsAsync("card-delivery");
        Assert.Equal($"reverted to the text of version {version}", versions[0].Note);
        Assert.Contains("business days", await Knowledge.VersionTextAsync("card-delivery", version + 1));
    }

    [Fact]
    public async Task ANewArticleIsADraftFirstAndGoesLiveWhenPublished()
    {
        var bad = await Knowledge.CreateAsync("Not An Id", "Travel money", Manager);
        var created = await Knowledge.CreateAsync("travel-money", "Travel money", Manager);
        var again = await Knowledge.CreateAsync("travel-money", "Travel money", Manager);

        Assert.False(bad.Succeeded);
        Assert.True(created.Succeeded, created.Message);
        Assert.False(again.Succeeded);
        await using (var db = host.Factory.Database())
        {
            Assert.False(await db.KbArticles.AnyAsync(a => a.Id == "travel-money"));
        }

        var incomplete = await Knowledge.PublishAsync("travel-money", 0, "# Travel money\n\nNo sections yet.", Manager);
        var published = await Knowledge.PublishAsync("travel-money", 0,
            "# Travel money\n\nIntents: exchange_rate\n\n## Can I order euros before I travel?\nYes. Order euros in the app at least three working days before you fly.\n", Manager);

        Assert.False(incomplete.Succeeded);
        Assert.True(published.Succeeded, published.Message);
        await using var after = host.Factory.Database();
        var article = await after.KbArticles.Include(a => a.Sections).SingleAsync(a => a.Id == "travel-money");
        Assert.Equal(1, article.Version);
        Assert.Single(article.Sections);
    }

    public sealed class Host : IDisposable
    {
        public AppFactory Factory { get; } = new();

        public async Task<(int Version, string Markdown)> ArticleAsync(string id)
        {
            await using var db = Factory.Database();
            var article = await db.KbArticles.AsNoTracking().SingleAsync(a => a.Id == id);
            return (article.Version, article.Markdown);
        }

        public void Dispose() => Factory.Dispose();
    }
}
