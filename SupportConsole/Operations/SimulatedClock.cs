namespace SupportConsole.Operations;

/// <summary>
/// A clock whose "now" can be set per async flow (AsyncLocal): the traffic simulator sets each ticket's time before
/// pushing it through the real pipeline, so every service stamps the simulated time; flows that set nothing see the
/// real time.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly AsyncLocal<DateTimeOffset?> _now = new();

    public override DateTimeOffset GetUtcNow() => _now.Value ?? base.GetUtcNow();

    /// <summary>From now on, in this async flow (and what it starts), the time is <paramref name="at"/>.</summary>
    public void Set(DateTimeOffset at) => _now.Value = at.ToUniversalTime();

    public void Reset() => _now.Value = null;
}
