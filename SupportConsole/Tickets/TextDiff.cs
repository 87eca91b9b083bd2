namespace SupportConsole.Tickets;

/// <summary>One run of a word diff: kept, removed from the original or added in the edit.</summary>
public sealed record DiffRun(DiffKind Kind, string Text);

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>Word-level diff (longest common subsequence) between the engine's draft and what the agent sends.</summary>
public static class TextDiff
{
    public static IReadOnlyList<DiffRun> Words(string original, string edited)
    {
        var a = Split(original);
        var b = Split(edited);
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var runs = new List<DiffRun>();
        void Add(DiffKind kind, string word)
        {
            if (runs.Count > 0 && runs[^1].Kind == kind)
            {
                runs[^1] = runs[^1] with { Text = runs[^1].Text + " " + word };
            }
            else
            {
                runs.Add(new DiffRun(kind, word));
            }
        }

        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                Add(DiffKind.Same, a[x]);
                x++;
                y++;
            }
            else if (lengths[x + 1, y] >= lengths[x, y + 1])
            {
                Add(DiffKind.Removed, a[x++]);
            }
            else
            {
                Add(DiffKind.Added, b[y++]);
            }
        }

        while (x < a.Length)
        {
            Add(DiffKind.Removed, a[x++]);
        }

        while (y < b.Length)
        {
            Add(DiffKind.Added, b[y++]);
        }

        return runs;
    }

    private static string[] Split(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
