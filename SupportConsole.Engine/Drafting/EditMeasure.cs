namespace SupportConsole.Engine.Drafting;

/// <summary>How much an agent changed a draft before sending it, from the word diff.</summary>
public static class EditMeasure
{
    /// <summary>
    /// Share of words changed: 1 - 2 x kept / (words in the draft + words sent). 0 when sent as written, 1 when no
    /// word survived; an added sentence to a ten-word draft counts about as much as rewriting a quarter of it.
    /// </summary>
    public static double ChangedShare(string original, string sent)
    {
        var runs = TextDiff.Words(original, sent);
        int Count(DiffKind kind) => runs.Where(r => r.Kind == kind).Sum(r => r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var kept = Count(DiffKind.Same);
        var total = (2 * kept) + Count(DiffKind.Removed) + Count(DiffKind.Added);
        return total == 0 ? 0 : Math.Round(1 - (2.0 * kept / total), 4);
    }
}
