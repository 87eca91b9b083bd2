using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;

namespace SupportConsole.Jobs;

/// <summary>
/// A job that does nothing but say it ran: what <c>bench jobs</c> and the soak enqueue to time Hangfire itself, and
/// what the tests count to see that each enqueued job runs exactly once (its own record, not Hangfire's counters).
/// </summary>
public sealed class JobProbe(JobProbeRecorder recorder)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Probe {0}")]
    public void Run(int sequence) => recorder.Started(sequence);
}

/// <summary>When each probe was enqueued and how often it ran (one per app).</summary>
public sealed class JobProbeRecorder
{
    private readonly ConcurrentDictionary<int, long> _enqueuedAt = new();
    private readonly ConcurrentDictionary<int, int> _executions = new();
    private readonly ConcurrentDictionary<int, double> _latencyMs = new();
    private long _lastStart;

    /// <summary>Probes that ran at least once.</summary>
    public int Distinct => _executions.Count;

    /// <summary>Executions in all, repeated ones included.</summary>
    public int Executions => _executions.Values.Sum();

    /// <summary>When the latest probe started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long LastStart => Interlocked.Read(ref _lastStart);

    public string Enqueue(IBackgroundJobClient client, int sequence)
    {
        _enqueuedAt[sequence] = Stopwatch.GetTimestamp();
        return client.Enqueue<JobProbe>(p => p.Run(sequence));
    }

    public int ExecutionsOf(int sequence) => _executions.TryGetValue(sequence, out var count) ? count : 0;

    /// <summary>Enqueue-to-start times of the given probes' first executions (those that ran).</summary>
    public double[] LatenciesMs(IEnumerable<int> sequences) =>
        [.. sequences.Select(s => _latencyMs.TryGetValue(s, out var ms) ? ms : double.NaN).Where(ms => !double.IsNaN(ms))];

    internal void Started(int sequence)
    {
        var now = Stopwatch.GetTimestamp();
        if (_executions.AddOrUpdate(sequence, 1, (_, count) => count + 1) == 1 && _enqueuedAt.TryGetValue(sequence, out var enqueued))
        {
            _latencyMs[sequence] = Stopwatch.GetElapsedTime(enqueued, now).TotalMilliseconds;
        }

        Interlocked.Exchange(ref _lastStart, now);
    }
}
