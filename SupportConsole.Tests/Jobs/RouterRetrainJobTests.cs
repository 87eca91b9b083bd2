using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Routing;
using SupportConsole.Routing;
using SupportConsole.Tests.TestSupport;
using SupportConsole.Training;

namespace SupportConsole.Tests.Jobs;

/// <summary>Retraining with shadow evaluation, promotion, rejection and rollback, on the real Hangfire server and database.</summary>
[Collection(DegradedRouterCollection.Name)]
public sealed class RouterRetrainJobTests(DegradedRouterFixture degraded) : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    [Fact]
    public async Task ACandidateThatRegressesIsKeptAsRejectedAndTheActiveModelStays()
    {
        using var app = SmallRetrainingApp();
        var registry = app.Services.GetRequiredService<RouterRegistry>();
        var shipped = registry.ActiveVersion;

        var job = await JobWaits.RunAsync(app, JobKinds.RouterRetrain);

        Assert.Equal(JobRunState.Succeeded, job.State);
        Assert.Contains("\"status\":\"rejected\"", job.ResultJson);
        await using var db = app.Database();
        var candidate = await db.RouterModels.AsNoTracking().SingleAsync(m => m.Origin == RouterRegistry.RetrainedOrigin);
        Assert.Equal(RouterModelState.Rejected, candidate.State);
        Assert.Contains("golden router accuracy", candidate.DecisionReason);
        Assert.Contains("worse", candidate.DecisionReason);
        Assert.NotNull(candidate.ShadowReportJson);
        Assert.Equal(shipped, registry.ActiveVersion);
        Assert.Equal(shipped, (await db.Settings.AsNoTracking().SingleAsync(s => s.Key == SettingKeys.ActiveRouterVersion)).Value);
        Assert.Equal(shipped, await DecisionRouterAsync(app, "after-rejected-candidate"));
    }

    [Fact]
    public async Task ACandidateThatImprovesIsPromotedAndARollbackRestoresThePreviousModelForTheNextTicket()
    {
        using var app = SmallRetrainingApp();
        await degraded.InstallAsync(app);
        Assert.Equal(degraded.VersionId, await DecisionRouterAsync(app, "with-degraded"));

        var job = await JobWaits.RunAsync(app, JobKinds.RouterRetrain);

        Assert.Equal(JobRunState.Succeeded, job.State);
        Assert.Contains("\"status\":\"promoted\"", job.ResultJson);
        var registry = app.Services.GetRequiredService<RouterRegistry>();
        await using (var db = app.Database())
        {
            var promoted = await db.RouterModels.AsNoTracking().SingleAsync(m => m.State == RouterModelState.Active);
            Assert.NotEqual(degraded.VersionId, promoted.VersionId);
            Assert.Equal(RouterRegistry.RetrainedOrigin, promoted.Origin);
            Assert.Equal(promoted.VersionId, registry.ActiveVersion);
            Assert.Equal(RouterModelState.Retired, (await db.RouterModels.AsNoTracking().SingleAsync(m => m.VersionId == degraded.VersionId)).State);
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "router.activated" && e.EntityId == promoted.VersionId && e.Actor == $"job:{JobKinds.RouterRetrain}"));
            Assert.Equal(promoted.VersionId, await DecisionRouterAsync(app, "with-promoted"));
        }

        await registry.ActivateAsync(degraded.VersionId, "admin@test", "rollback test", CancellationToken.None);

        Assert.Equal(degraded.VersionId, await DecisionRouterAsync(app, "after-rollback"));
        await using var check = app.Database();
        Assert.True(await check.AuditEvents.AnyAsync(e => e.Action == "router.activated" && e.EntityId == degraded.VersionId && e.Actor == "admin@test"));
    }

    [Fact]
    public async Task AgentsCorrectionsAndApprovalsBecomeTrainingExamples()
    {
        using var app = SmallRetrainingApp();
        var client = app.Client();
        using var response = await client.PostAsJsonAsync("/api/v1/tickets",
            new { externalId = "feedback-1", customerId = "C0001", channel = "email", body = "I want my money back for the concert tickets" });
        var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        await using (var db = app.Database())
        {
            await db.Tickets.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LabelledIntent, "request_refund"));
        }

        var feedback = await app.Services.GetRequiredService<RouterRetrainer>().FeedbackAsync(CancellationToken.None);

        var example = Assert.Single(feedback);
        Assert.Equal(("I want my money back for the concert tickets", "request_refund"), (example.Text, example.Category));
    }

    public void Dispose() => _data.Dispose();

    /// <summary>An app whose retraining uses a small slice of BANKING77 and a small network, so a run takes seconds.</summary>
    private AppFactory SmallRetrainingApp()
    {
        var all = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true);
        var path = _data.File($"train-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["text,category", .. all.GroupBy(e => e.Category).SelectMany(g => g.Take(20)).Select(e => $"\"{e.Text.Replace("\"", "\"\"")}\",{e.Category}")]);
        return new AppFactory(new Dictionary<string, string?>
        {
            ["Retraining:BaseTrainingData"] = path,
            ["Retraining:Folds"] = "3",
            ["Retraining:HiddenUnits"] = "32",
            ["Retraining:MaxEpochs"] = "6",
            ["Retraining:MinIntentSamples"] = "10",
            ["Retraining:ShadowTickets"] = "50",
        });
    }

    private static async Task<string> DecisionRouterAsync(AppFactory app, string externalId)
    {
        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets",
            new { externalId, customerId = "C0001", channel = "email", body = "How do I activate my new card?" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetProperty("routerVersion").GetString()!;
    }
}
