namespace SupportConsole.Tickets;

/// <summary>
/// Who is looking at which ticket right now ("Maja is viewing"), for the ticket page and the queues. Each open ticket
/// page holds an entry while it is open; pages of this instance see each other at once. (Viewers on another instance
/// of a cluster are not shown; two agents acting on one ticket are still kept apart by the ticket's version.)
/// </summary>
public sealed class TicketPresence
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Entry>> _viewers = [];

    /// <summary>Someone started or stopped viewing the ticket.</summary>
    public event Action<Guid>? Changed;

    /// <summary>Marks <paramref name="viewer"/> as viewing the ticket until the returned handle is disposed.</summary>
    public IDisposable Enter(Guid ticketId, string viewer)
    {
        var entry = new Entry(viewer);
        lock (_gate)
        {
            if (!_viewers.TryGetValue(ticketId, out var list))
            {
                _viewers[ticketId] = list = [];
            }

            list.Add(entry);
        }

        Changed?.Invoke(ticketId);
        return new Leave(this, ticketId, entry);
    }

    /// <summary>The people viewing the ticket, each once, in the order they came.</summary>
    public IReadOnlyList<string> ViewersOf(Guid ticketId)
    {
        lock (_gate)
        {
            return _viewers.TryGetValue(ticketId, out var list) ? [.. list.Select(e => e.Viewer).Distinct(StringComparer.Ordinal)] : [];
        }
    }

    /// <summary>The tickets someone other than <paramref name="me"/> is viewing.</summary>
    public IReadOnlyCollection<Guid> ViewedByOthers(string me)
    {
        lock (_gate)
        {
            return [.. _viewers.Where(p => p.Value.Any(e => e.Viewer != me)).Select(p => p.Key)];
        }
    }

    private void Remove(Guid ticketId, Entry entry)
    {
        lock (_gate)
        {
            if (_viewers.TryGetValue(ticketId, out var list) && list.Remove(entry) && list.Count == 0)
            {
                _viewers.Remove(ticketId);
            }
        }

        Changed?.Invoke(ticketId);
    }

    private sealed class Entry(string viewer)
    {
        public string Viewer { get; } = viewer;
    }

    private sealed class Leave(TicketPresence presence, Guid ticketId, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                presence.Remove(ticketId, entry);
            }
        }
    }
}
