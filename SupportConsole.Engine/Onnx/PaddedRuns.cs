namespace SupportConsole.Engine.Onnx;

/// <summary>
/// Cuts a batch of texts into session runs for a graph that pads every text of a run to the longest one. Texts are
/// sorted by length and a run is closed when its padded size (texts x longest length) would pass
/// <see cref="MaxPaddedCharacters"/>: the n-gram rows a run gathers (a few hundred bytes per character) then stay in
/// one core's L2 cache. With runs of 32 texts the gathered rows of the longest BANKING77 tickets spilled to memory and
/// batch throughput halved (`router bench`, decision 011).
/// </summary>
internal static class PaddedRuns
{
    public const int MaxPaddedCharacters = 768;

    public const int MaxTexts = 32;

    /// <summary>The runs as lists of indexes into <paramref name="texts"/>, shortest texts first.</summary>
    public static IEnumerable<int[]> Cut(IReadOnlyList<string> texts)
    {
        var byLength = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        var start = 0;
        for (var i = 0; i < byLength.Length; i++)
        {
            var count = i - start + 1;
            var padded = (long)count * (texts[byLength[i]].Length + 2);
            if (count > 1 && (count > MaxTexts || padded > MaxPaddedCharacters))
            {
                yield return byLength[start..i];
                start = i;
            }
        }

        if (start < byLength.Length)
        {
            yield return byLength[start..];
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> once per cut and scatters its rows (<paramref name="width"/> floats per text) back
    /// into input order.
    /// </summary>
    public static float[] RunAll(IReadOnlyList<string> texts, int width, Func<string[], float[]> run)
    {
        var result = new float[texts.Count * width];
        foreach (var indexes in Cut(texts))
        {
            var rows = run([.. indexes.Select(i => texts[i])]);
            for (var r = 0; r < indexes.Length; r++)
            {
                rows.AsSpan(r * width, width).CopyTo(result.AsSpan(indexes[r] * width, width));
            }
        }

        return result;
    }
}
