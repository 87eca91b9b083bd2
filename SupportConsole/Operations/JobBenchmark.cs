using System.Diagnostics;
using Hangfire;
using SupportConsole.Jobs;

namespace SupportConsole.Operations;

/// <summary>What <c>bench jobs</c> measured: enqueue-to-start latency of jobs one at a time and of a burst, and the burst's rate.</summary>
public sealed record JobBenchmarkReport(
    string Storage,
    int Workers,
    double QueuePollSeconds,
    int IdleJobs,
    LatencySummary IdleEnqueueToStartMs,
    int BurstJobs,
    double BurstEnqueueSeconds,
    double BurstSeconds,
    double JobsPerSecond,
    LatencySummary BurstEnqueueToStartMs,
    int ExecutedOnce,
    int ExecutedMoreThanOnce,
    int NeverExecuted,
    double CpuSecondsPerThousandJobs);

/// <summary>
/// The job server's own speed on a fresh in-process instance (the embedded default: Hangfire on its SQLite file):
/// probes enqueued one at a time on an idle server (the start latency a person sees after clicking), then a burst of
/// probes at once (the queue's throughput on the configured workers), each probe's executions counted.
/// </summary>
public static class JobBenchmark
{
    public static async Task<JobBenchmarkReport> RunAsync(int idleJobs, int burstJobs, int workers, TimeSpan limit, CancellationToken cancellationToken)
    {
        await using var instance = await TemporaryInstance.StartAsync(new Dictionary<string, string?>
        {
            [$"{JobsOptions.SectionName}:{nameof(JobsOptions.WorkerCount)}"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        var services = instance.Services;
        var client = services.GetRequiredService<IBackgroundJobClient>();
        var probes = services.GetRequiredService<JobProbeRecorder>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);

        // One at a time, each after the last has started, at a random phase of the queue poll (as clicks arrive).
        var random = new Random(7);
        var idle = Enumerable.Range(0, idleJobs).ToArray();
        foreach (var sequence in idle)
        {
            probes.Enqueue(client, sequence);
            await UntilAsync(() => probes.ExecutionsOf(sequence) > 0, deadline.Token);
            await Task.Delay(random.Next(0, (int)(options.QueuePollSeconds * 1000) + 1), deadline.Token);
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var burst = Enumerable.Range(idleJobs, burstJobs).ToArray();
        var burstStart = Stopwatch.GetTimestamp();
        foreach (var sequence in burst)
        {
            probes.Enqueue(client, sequence);
        }

        var enqueueSeconds = Stopwatch.GetElapsedTime(burstStart).TotalSeconds;
        await UntilAsync(() => burst.All(s => probes.ExecutionsOf(s) > 0), deadline.Token);
        var burstSeconds = Stopwatch.GetElapsedTime(burstStart, probes.LastStart).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

        // A repeated execution would come after the queue was polled again: give it a few polls to show up.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(2, options.QueuePollSeconds * 4)), cancellationToken);
        var all = idle.Concat(burst).ToArray();
        return new JobBenchmarkReport(
            Storage: services.GetRequiredService<JobStorage>().GetType().Name,
            Workers: workers,
            QueuePollSeconds: options.QueuePollSeconds,
            IdleJobs: idleJobs,
            IdleEnqueueToStartMs: LatencySummary.Of(probes.LatenciesMs(idle)),
            BurstJobs: burstJobs,
            BurstEnqueueSeconds: Math.Round(enqueueSeconds, 3),
            BurstSeconds: Math.Round(burstSeconds, 3),
            JobsPerSecond: Math.Round(burstJobs / burstSeconds, 1),
            BurstEnqueueToStartMs: LatencySummary.Of(probes.LatenciesMs(burst)),
            ExecutedOnce: all.Count(s => probes.ExecutionsOf(s) == 1),
            ExecutedMoreThanOnce: all.Count(s => probes.ExecutionsOf(s) > 1),
            NeverExecuted: all.Count(s => probes.ExecutionsOf(s) == 0),
            CpuSecondsPerThousandJobs: Math.Round(cpu / burstJobs * 1000, 3));
    }

    /// <summary>Polls <paramref name="condition"/> every few milliseconds until it holds (bounded by the token).</summary>
    public static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(5, cancellationToken);
        }
    }
}
