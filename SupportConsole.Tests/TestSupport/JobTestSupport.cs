using Microsoft.EntityFrameworkCore;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Calibration;
using SupportConsole.Engine.Routing.Training;
using SupportConsole.Jobs;
using SupportConsole.Routing;

namespace SupportConsole.Tests.TestSupport;

/// <summary>Waiting for background job runs of a real app to end.</summary>
public static class JobWaits
{
    public static async Task<JobRun> UntilEndedAsync(AppFactory app, Guid runId, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(180));
        while (true)
        {
            await using (var db = app.Database())
            {
                var run = await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == runId, limit.Token);
                if (run.State is JobRunState.Succeeded or JobRunState.Failed or JobRunState.Cancelled)
                {
                    return run;
                }
            }

            await Task.Delay(100, limit.Token);
        }
    }

    /// <summary>Queues a job through the app's scheduler (as a page does) and waits for its end.</summary>
    public static async Task<JobRun> RunAsync(AppFactory app, string kind, TimeSpan? timeout = null)
    {
        var run = await app.Services.GetRequiredService<JobScheduler>().EnqueueAsync(kind, "test");
        return await UntilEndedAsync(app, run.Id, timeout);
    }
}

/// <summary>
/// A deliberately wrong router: trained on BANKING77 with every label moved to the next intent, so it is confident,
/// certified and wrong. Trained once for the tests that need a model to catch.
/// </summary>
public sealed class DegradedRouterFixture : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public DegradedRouterFixture()
    {
        var all = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true);
        var labels = all.Select(e => e.Category!).Distinct().Order(StringComparer.Ordinal).ToList();
        var next = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => labels[(p.i + 1) % labels.Count]);
        var rotated = all.GroupBy(e => e.Category).SelectMany(g => g.Take(40)).Select(e => e with { Category = next[e.Category!] }).ToList();
        new RouterTrainer(SmallSettings).Train(rotated, "banking77, labels rotated (degraded on purpose)").WriteTo(_directory.Path);
        VersionId = RouterModelCard.Load(Path.Combine(_directory.Path, RouterModelCard.CardFileName)).VersionId;
    }

    /// <summary>Small and quick: enough for a model that certifies, not for a good one.</summary>
    public static RouterTrainingSettings SmallSettings { get; } = new()
    {
        Folds = 3,
        L2Grid = [1e-5],
        Network = new HiddenLayerSettings { Hidden = 32, MaxEpochs = 6 },
        Certification = new CertificationSettings { MinIntentSamples = 10 },

        // Every intent in every fold: the point is a model that certifies confidently and wrongly, not the open-set bound.
        LeaveEachIntentOutOnce = false,
    };

    public string Directory => _directory.Path;

    public string VersionId { get; }

    /// <summary>Registers the degraded model in the app's registry and makes it the active router.</summary>
    public async Task InstallAsync(AppFactory app)
    {
        var registry = app.Services.GetRequiredService<RouterRegistry>();
        await registry.RegisterAsync(Directory, RouterRegistry.RetrainedOrigin, RouterModelState.Candidate, null, CancellationToken.None);
        await registry.ActivateAsync(VersionId, "test", "degraded model installed on purpose", CancellationToken.None);
    }

    public void Dispose() => _directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DegradedRouterCollection : ICollectionFixture<DegradedRouterFixture>
{
    public const string Name = "degraded router";
}
