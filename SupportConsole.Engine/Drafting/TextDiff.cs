namespace SupportConsole.Engine.Drafting;

/// <summary>One run of a diff: kept, removed from the original or added in the edit.</summary>
public sealed record DiffRun(DiffKind Kind, string Text);

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>
/// Diffs by longest common subsequence: word by word between the engine's draft and what the agent sends, line by line
/// between two versions of an article.
/// </summary>
public static class TextDiff
{
    /// <summary>Most lines (or words) per side diffed in full; beyond it the rest is shown as removed and added (the table is quadratic).</summary>
    public const int MaxTokens = 4_000;

    public static IReadOnlyList<DiffRun> Words(string original, string edited) =>
        Diff(original.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), edited.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), " ");

    /// <summary>Runs of whole lines (joined with line breaks).</summary>
    public static IReadOnlyList<DiffRun> Lines(string original, string edited) =>
        Diff(original.ReplaceLineEndings("\n").Split('\n'), edited.ReplaceLineEndings("\n").Split('\n'), "\n");

    private static List<DiffRun> Diff(string[] a, string[] b, string joiner)
    {
        var runs = new List<DiffRun>();
        void Add(DiffKind kind, string token)
        {
            if (runs.Count > 0 && runs[^1].Kind == kind)
            {
                runs[^1] = runs[^1] with { Text = runs[^1].Text + joiner + token };
            }
            else
            {
                runs.Add(new DiffRun(kind, token));
            }
        }

        var n = Math.Min(a.Length, MaxTokens);
        var m = Math.Min(b.Length, MaxTokens);
        var lengths = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n && y < m)
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
}
