namespace SupportConsole.Tickets;

/// <summary>A row on screen: current data, or a ticket that left the queue since the page was loaded (shown dimmed until refreshed).</summary>
public sealed record LiveRow(QueueRow Row, bool Gone, bool Arrived);

/// <summary>
/// What a queue page shows while tickets change under it, so rows never jump under the cursor: rows on screen keep
/// their place (updated in place, or dimmed when their ticket left the queue); a ticket that arrives is added at the
/// end when the order puts it after every row on screen (oldest first, room on the page), else counted as "N new"
/// until the agent refreshes.
/// </summary>
public sealed class QueueLiveState
{
    private readonly List<LiveRow> _rows = [];
    private readonly HashSet<Guid> _unseen = [];

    public IReadOnlyList<LiveRow> Rows => _rows;

    /// <summary>Tickets that arrived and are not on screen.</summary>
    public int Unseen => _unseen.Count;

    /// <summary>A full load (first view, refresh, another sort, filter or page): exactly these rows.</summary>
    public void Load(IReadOnlyList<QueueRow> rows)
    {
        _rows.Clear();
        _rows.AddRange(rows.Select(r => new LiveRow(r, Gone: false, Arrived: false)));
        _unseen.Clear();
    }

    /// <summary>
    /// Applies a fresh read of the page after tickets changed. <paramref name="arrivals"/> are tickets that came into
    /// the queue meanwhile; those that are not on the fresh page (a later page) count as unseen too.
    /// </summary>
    public void Apply(IReadOnlyList<QueueRow> fresh, IReadOnlyCollection<Guid> arrivals, int pageSize)
    {
        var freshById = fresh.ToDictionary(r => r.Id);
        for (var i = 0; i < _rows.Count; i++)
        {
            var shown = _rows[i];
            _rows[i] = freshById.TryGetValue(shown.Row.Id, out var now) ? shown with { Row = now, Gone = false } : shown with { Gone = true };
        }

        var onScreen = _rows.Select(r => r.Row.Id).ToHashSet();
        var lastKept = -1;
        for (var i = 0; i < fresh.Count; i++)
        {
            if (onScreen.Contains(fresh[i].Id))
            {
                lastKept = i;
            }
        }

        for (var i = 0; i < fresh.Count; i++)
        {
            var row = fresh[i];
            if (onScreen.Contains(row.Id))
            {
                continue;
            }

            // After everything on screen and room left: it appears below the rows, nothing moves.
            if (i > lastKept && _rows.Count(r => !r.Gone) < pageSize)
            {
                _rows.Add(new LiveRow(row, Gone: false, Arrived: true));
                onScreen.Add(row.Id);
                _unseen.Remove(row.Id);
            }
            else
            {
                _unseen.Add(row.Id);
            }
        }

        foreach (var id in arrivals.Where(id => !onScreen.Contains(id)))
        {
            _unseen.Add(id);
        }
    }

    /// <summary>Updates one row in place (an assignment, someone viewing), wherever it is.</summary>
    public bool Update(QueueRow row)
    {
        var index = _rows.FindIndex(r => r.Row.Id == row.Id);
        if (index < 0)
        {
            return false;
        }

        _rows[index] = _rows[index] with { Row = row };
        return true;
    }
}
