using System.Diagnostics;

namespace SupportConsole.Operations;

/// <summary>
/// A clock whose "now" can be set per async flow (AsyncLocal): the traffic simulator sets each ticket's time before
/// pushing it through the real pipeline, so every service stamps the simulated time. Time moves on from there at the
/// real pace, so the pipeline's own latency still shows (an auto reply comes milliseconds after ingest). Flows that
/// set nothing see the real time.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly AsyncLocal<(DateTimeOffset At, long Timestamp)?> _now = new();

    public override DateTimeOffset GetUtcNow() =>
        _now.Value is { } set ? set.At + Stopwatch.GetElapsedTime(set.Timestamp) : base.GetUtcNow();

    /// <summary>From now on, in this async flow (and what it starts), the time is <paramref name="at"/> (and runs on).</summary>
    public void Set(DateTimeOffset at) => _now.Value = (at.ToUniversalTime(), Stopwatch.GetTimestamp());

    public void Reset() => _now.Value = null;
}
