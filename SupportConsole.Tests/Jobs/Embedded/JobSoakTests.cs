using SupportConsole.Engine.Routing;
using SupportConsole.Operations;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Jobs.Embedded;

/// <summary>
/// A short run of <c>bench soak</c> (the 10-minute one is a command, with its figures in docs/benchmarks.md): ingest
/// at full speed, replies through the outbox, a probe job a second, and a clean log.
/// </summary>
public sealed class JobSoakTests
{
    [Fact]
    public async Task HalfAMinuteOfFullSpeedIngestWithTheOutboxSweepingLeavesNoLockTimeoutNoLockedDatabaseAndNothingLost()
    {
        var texts = LabelledTicketCsv.Read(RepositoryPaths.Banking77Test, requireCategory: false).Select(r => r.Text).ToList();

        var report = await JobSoak.RunAsync(texts, TimeSpan.FromSeconds(30), concurrency: 16, CancellationToken.None);

        Assert.True(report.TicketsSent > 500, $"only {report.TicketsSent} tickets in 30 s");
        Assert.True(report.OutboxDelivered > 100, $"only {report.OutboxDelivered} replies delivered");
        Assert.Equal(report.OutboxDelivered, report.WebhookPosts);
        Assert.True(report.ProbeJobs >= 25, $"only {report.ProbeJobs} probes");
        Assert.True(report.Clean, System.Text.Json.JsonSerializer.Serialize(report));
    }
}
