using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Jobs;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Jobs;

/// <summary>The nightly golden-set evaluation as a Hangfire job on the real app and database.</summary>
[Collection(DegradedRouterCollection.Name)]
public sealed class GoldenEvaluationJobTests(DegradedRouterFixture degraded)
{
    [Fact]
    public async Task ARunStoresItsMetricsWithTheVersionsItUsedAndChangesNothingElse()
    {
        using var app = new AppFactory();
        int ticketsBefore, outboxBefore;
        await using (var db = app.Database())
        {
            (ticketsBefore, outboxBefore) = (await db.Tickets.CountAsync(), await db.OutboxMessages.CountAsync());
        }

        var job = await JobWaits.RunAsync(app, JobKinds.GoldenEvaluation);

        Assert.Equal(JobRunState.Succeeded, job.State);
        await using var check = app.Database();
        var run = await check.EvaluationRuns.AsNoTracking().SingleAsync(r => r.JobRunId == job.Id);
        Assert.Equal(462, run.Tickets);
        Assert.InRange(run.RouterAccuracy, 0.9, 1.0);
        // A guard, not the figure (docs/benchmarks.md): the shipped router rebuilt on another CPU differs in the last bits
        // of stage 2 (the int8 encoder's kernels; `router build-shipped` checks it is within tolerance), which moves a few
        // tickets across their certification thresholds: 152 auto replies where the card was trained, 145 on AVX-512 VNNI.
        Assert.InRange(run.AutoResolvedShare, 0.55, 1.0);
        Assert.InRange(run.BadAnswerRate, 0.0, 0.02);
        Assert.True(run.MeanGroundedness >= 0.94);
        Assert.InRange(run.RetrievalRecallAt3, 0.8, 1.0);
        Assert.True(run.LatencyP95Milliseconds > 0);
        Assert.False(run.AlertRaised);
        Assert.Equal((await check.Settings.AsNoTracking().SingleAsync(s => s.Key == SettingKeys.ActiveRouterVersion)).Value, run.RouterVersion);
        Assert.Contains("activate_my_card", run.PerIntentJson);
        Assert.Equal(462, JsonDocument.Parse(run.PredictionsJson).RootElement.GetArrayLength());
        Assert.Equal(ticketsBefore, await check.Tickets.CountAsync());
        Assert.Equal(outboxBefore, await check.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task ADegradedModelTripsTheAlertTheWebhookAndTheKillSwitchWhenAnAdminEnabledIt()
    {
        await using var webhook = await FakeHttpServer.StartAsync();
        using var app = new AppFactory(new Dictionary<string, string?>
        {
            ["Evaluation:AlertWebhookUrl"] = new Uri(webhook.BaseUrl, "/alerts").ToString(),
        });
        await degraded.InstallAsync(app);
        await app.Services.GetRequiredService<Evaluation.EvaluationAlertSettings>().SetEngageKillSwitchAsync(true, "admin@test", "test");

        var job = await JobWaits.RunAsync(app, JobKinds.GoldenEvaluation);

        Assert.Equal(JobRunState.Succeeded, job.State);
        await using var db = app.Database();
        var run = await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.JobRunId == job.Id);
        Assert.Equal(degraded.VersionId, run.RouterVersion);
        Assert.True(run.BadAnswerRate > 0.02, $"bad-answer rate {run.BadAnswerRate}");
        Assert.True(run.AlertRaised);
        Assert.Contains("bad-answer rate", run.AlertReason);
        Assert.True(run.EngagedKillSwitch);
        var killSwitch = await db.Settings.AsNoTracking().SingleAsync(s => s.Key == SettingKeys.KillSwitch);
        Assert.Equal("on", killSwitch.Value);
        Assert.Equal($"job:{JobKinds.GoldenEvaluation}", killSwitch.UpdatedBy);
        Assert.Contains(run.Id.ToString(), killSwitch.Reason);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (webhook.Requests.IsEmpty)
        {
            await Task.Delay(100, timeout.Token);
        }

        var alert = Assert.Single(webhook.Requests);
        Assert.Equal("/alerts", alert.Path);
        Assert.Equal(OutboxKinds.EvaluationAlert, alert.Headers["X-Message-Kind"]);
        Assert.Contains(run.Id.ToString(), alert.Body);

        using var response = await app.Client().PostAsJsonAsync("/api/v1/tickets",
            new { externalId = "after-alert", customerId = "C0001", channel = "email", body = "How do I activate my new card?" });
        var ticket = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual("Auto", ticket.GetProperty("decision").GetProperty("band").GetString());
    }

    [Fact]
    public async Task AFailedRunRecordsWhyAndIsRetriedWithBackOff()
    {
        using var app = new AppFactory(new Dictionary<string, string?> { ["Evaluation:GoldenSetPath"] = "/nonexistent/golden-set.csv" });
        var run = await app.Services.GetRequiredService<JobScheduler>().EnqueueAsync(JobKinds.GoldenEvaluation, "test");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JobRun stored;
        while (true)
        {
            await using (var db = app.Database())
            {
                stored = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id, timeout.Token);
            }

            if (stored.Attempts == 1 && stored.State == JobRunState.Queued)
            {
                break;
            }

            await Task.Delay(100, timeout.Token);
        }

        Assert.Contains("file not found", stored.Error);
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        while (monitoring.ScheduledCount() == 0)
        {
            await Task.Delay(100, timeout.Token);
        }

        var retry = Assert.Single(monitoring.ScheduledJobs(0, 10));
        Assert.Equal(stored.HangfireJobId, retry.Key);
        Assert.True(retry.Value.EnqueueAt > DateTime.UtcNow.AddSeconds(10), "the first retry waits about 30 s");
    }
}
