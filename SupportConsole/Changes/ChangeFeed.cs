using System.Collections.Immutable;
using SupportConsole.Data;

namespace SupportConsole.Changes;

/// <summary>
/// A kind of change the console announces: its name on the cluster bus, the payload the other instances get and, when
/// that payload is the change itself, how they read it back (otherwise an <see cref="IChangeFollower"/> of the topic
/// catches up from the database and raises the change on its instance).
/// </summary>
public sealed record ChangeTopic<T>(string Name, Func<T, string> ToPayload, Func<string, T?>? FromPayload = null);

/// <summary>
/// The one change feed: a ticket decided, a job run moved, an evaluation finished, the kill switch flipped. Live pages
/// subscribe to it; publishing tells every subscriber of this instance at once and the other instances through the
/// cluster bus (nothing on the one-machine default). Subscriptions end when their handle is disposed.
/// </summary>
public sealed class ChangeFeed(IClusterBus bus, ILogger<ChangeFeed> logger)
{
    private readonly Lock _lock = new();
    private ImmutableDictionary<string, ImmutableArray<Delegate>> _handlers = ImmutableDictionary<string, ImmutableArray<Delegate>>.Empty;
    private ImmutableDictionary<string, Action<string>> _remoteReaders = ImmutableDictionary<string, Action<string>>.Empty;

    /// <summary>Tells this instance's subscribers, then the other instances.</summary>
    public void Publish<T>(ChangeTopic<T> topic, T change)
    {
        Raise(topic, change);
        bus.Publish(topic.Name, topic.ToPayload(change));
    }

    /// <summary>Tells this instance's subscribers only: a change another instance made, once this one has caught up with it.</summary>
    public void Raise<T>(ChangeTopic<T> topic, T change)
    {
        if (!_handlers.TryGetValue(topic.Name, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                ((Action<T>)handler)(change);
            }
            catch (Exception e)
            {
                // One broken page must not keep the change from the others, nor fail the action that published it.
                logger.LogWarning(e, "A subscriber to {Topic} failed", topic.Name);
            }
        }
    }

    /// <summary>Calls <paramref name="handler"/> for every change of <paramref name="topic"/>, this instance's and the others', until disposed.</summary>
    public IDisposable Subscribe<T>(ChangeTopic<T> topic, Action<T> handler)
    {
        lock (_lock)
        {
            _handlers = _handlers.SetItem(topic.Name, _handlers.GetValueOrDefault(topic.Name, []).Add(handler));
            if (topic.FromPayload is { } read && !_remoteReaders.ContainsKey(topic.Name))
            {
                _remoteReaders = _remoteReaders.SetItem(topic.Name, payload =>
                {
                    if (read(payload) is { } change)
                    {
                        Raise(topic, change);
                    }
                });
            }
        }

        return new Subscription(() =>
        {
            lock (_lock)
            {
                var left = _handlers.GetValueOrDefault(topic.Name, []).Remove(handler);
                _handlers = left.IsEmpty ? _handlers.Remove(topic.Name) : _handlers.SetItem(topic.Name, left);
            }
        });
    }

    /// <summary>A notification from another instance whose payload is the change itself: raised here.</summary>
    internal void RaiseFromPayload(string topic, string payload)
    {
        if (_remoteReaders.TryGetValue(topic, out var read))
        {
            read(payload);
        }
    }

    private sealed class Subscription(Action end) : IDisposable
    {
        private Action? _end = end;

        public void Dispose() => Interlocked.Exchange(ref _end, null)?.Invoke();
    }
}

/// <summary>What this instance does when another announces a change of <see cref="Topic"/>: catch up from the database.</summary>
public interface IChangeFollower
{
    string Topic { get; }

    Task FollowAsync(string payload, CancellationToken cancellationToken);

    /// <summary>Called every few seconds on a cluster, in case a notification was missed; most followers have nothing to check.</summary>
    Task CatchUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Listens to the cluster bus (web host only: the command line runs alone) and hands each notification to the feed and
/// to the topic's followers. Every follower re-reads the database, so a missed or late notification costs only time.
/// </summary>
internal sealed class ChangeFollowing(IClusterBus bus, ChangeFeed feed, IEnumerable<IChangeFollower> followers, ILogger<ChangeFollowing> logger) : BackgroundService
{
    private readonly ILookup<string, IChangeFollower> _followers = followers.ToLookup(f => f.Topic, StringComparer.Ordinal);

    private static readonly TimeSpan CatchUpInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (bus is SingleInstanceBus)
        {
            return;
        }

        bus.Received += change => _ = FollowAsync(change, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(CatchUpInterval, stoppingToken);
            foreach (var follower in followers)
            {
                try
                {
                    await follower.CatchUpAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Catching up on {Topic} failed", follower.Topic);
                }
            }
        }
    }

    private async Task FollowAsync(ClusterEvent change, CancellationToken cancellationToken)
    {
        try
        {
            feed.RaiseFromPayload(change.Topic, change.Payload);
            foreach (var follower in _followers[change.Topic])
            {
                await follower.FollowAsync(change.Payload, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Acting on {Topic} from {Origin} failed", change.Topic, change.Origin);
        }
    }
}

/// <summary>Another instance committed a save of cached data: this instance's caches of that kind are stale from now on.</summary>
internal sealed class CachedDataFollower(DataChanges changes) : IChangeFollower
{
    public const string Topic = "data";

    string IChangeFollower.Topic => Topic;

    public Task FollowAsync(string payload, CancellationToken cancellationToken)
    {
        changes.Follow(payload);
        return Task.CompletedTask;
    }
}
