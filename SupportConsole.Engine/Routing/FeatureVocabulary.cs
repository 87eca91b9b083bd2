namespace SupportConsole.Engine.Routing;

/// <summary>A sparse row: ascending feature indices with their values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values);

/// <summary>
/// The n-gram vocabulary with inverse document frequencies. Feature ids: word n-grams first (0..WordCount-1),
/// then character n-grams, each in ordinal order.
/// </summary>
public sealed class FeatureVocabulary
{
    private readonly Dictionary<string, int> _wordIds;
    private readonly Dictionary<string, int> _charIds;

    public FeatureVocabulary(FeatureSettings settings, IReadOnlyList<string> wordGrams, IReadOnlyList<string> charGrams, float[] idf)
    {
        if (idf.Length != wordGrams.Count + charGrams.Count)
        {
            throw new ArgumentException($"idf has {idf.Length} entries for {wordGrams.Count + charGrams.Count} n-grams", nameof(idf));
        }

        Settings = settings;
        WordGrams = wordGrams;
        CharGrams = charGrams;
        Idf = idf;
        _wordIds = wordGrams.Select((gram, i) => (gram, i)).ToDictionary(p => p.gram, p => p.i, StringComparer.Ordinal);
        _charIds = charGrams.Select((gram, i) => (gram, i)).ToDictionary(p => p.gram, p => wordGrams.Count + p.i, StringComparer.Ordinal);
    }

    public FeatureSettings Settings { get; }

    public IReadOnlyList<string> WordGrams { get; }

    public IReadOnlyList<string> CharGrams { get; }

    public float[] Idf { get; }

    public int Count => Idf.Length;

    public int WordCount => WordGrams.Count;

    /// <summary>Builds the vocabulary from training texts: n-grams seen in at least MinDocumentFrequency texts, ordinal order.</summary>
    public static FeatureVocabulary Build(IReadOnlyList<string> texts, FeatureSettings settings)
    {
        settings.Validate();
        var wordDf = new Dictionary<string, int>(StringComparer.Ordinal);
        var charDf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var (wordGrams, charGrams) = TicketTextFeaturizer.Ngrams(text, settings);
            foreach (var gram in wordGrams.Distinct(StringComparer.Ordinal))
            {
                wordDf[gram] = wordDf.GetValueOrDefault(gram) + 1;
            }

            foreach (var gram in charGrams.Distinct(StringComparer.Ordinal))
            {
                charDf[gram] = charDf.GetValueOrDefault(gram) + 1;
            }
        }

        var words = Keep(wordDf, settings.MinDocumentFrequency);
        var chars = Keep(charDf, settings.MinDocumentFrequency);
        var idf = words.Select(g => wordDf[g]).Concat(chars.Select(g => charDf[g]))
            .Select(df => (float)(Math.Log((1.0 + texts.Count) / (1.0 + df)) + 1.0))
            .ToArray();
        return new FeatureVocabulary(settings, words, chars, idf);
    }

    /// <summary>
    /// The ticket's feature vector: count x idf per n-gram, each block (words, characters) divided by the square
    /// root of the sum of idf^2 over the block's n-gram occurrences (the L2 norm when no n-gram repeats). Every
    /// occurrence contributes on its own, so the ONNX graph needs no per-ticket de-duplication.
    /// </summary>
    public SparseVector Vectorize(string text)
    {
        var (wordGrams, charGrams) = TicketTextFeaturizer.Ngrams(text, Settings);
        var ids = new List<int>(wordGrams.Count + charGrams.Count);
        foreach (var gram in wordGrams)
        {
            if (_wordIds.TryGetValue(gram, out var id))
            {
                ids.Add(id);
            }
        }

        foreach (var gram in charGrams)
        {
            if (_charIds.TryGetValue(gram, out var id))
            {
                ids.Add(id);
            }
        }

        return FromOccurrences(ids);
    }

    /// <summary>
    /// The feature vector of a ticket from the ids of its n-gram occurrences that are in the vocabulary, words first
    /// and then characters, each in text order (the order the block norms are summed in). The list is sorted in place.
    /// </summary>
    internal SparseVector FromOccurrences(List<int> ids)
    {
        double wordSquares = 0, charSquares = 0;
        foreach (var id in ids)
        {
            if (id < WordCount)
            {
                wordSquares += (double)Idf[id] * Idf[id];
            }
            else
            {
                charSquares += (double)Idf[id] * Idf[id];
            }
        }

        var wordScale = Settings.WordBlockWeight / Math.Sqrt(Math.Max(wordSquares, NormFloor));
        var charScale = 1 / Math.Sqrt(Math.Max(charSquares, NormFloor));
        ids.Sort();
        var distinct = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            distinct += i == 0 || ids[i] != ids[i - 1] ? 1 : 0;
        }

        var indices = new int[distinct];
        var values = new float[distinct];
        for (int i = 0, slot = -1; i < ids.Count; i++)
        {
            var id = ids[i];
            if (slot < 0 || indices[slot] != id)
            {
                indices[++slot] = id;
            }

            values[slot]++;
        }

        for (var i = 0; i < indices.Length; i++)
        {
            var id = indices[i];
            var count = (int)values[i];
            values[i] = (float)(count * Idf[id] * (id < WordCount ? wordScale : charScale));
        }

        return new SparseVector(indices, values);
    }

    /// <summary>Keeps an empty ticket's norm finite; the graph uses the same floor.</summary>
    public const double NormFloor = 1e-12;

    private static List<string> Keep(Dictionary<string, int> df, int minDf) =>
        [.. df.Where(p => p.Value >= minDf).Select(p => p.Key).Order(StringComparer.Ordinal)];
}
