namespace SupportConsole.Engine.Routing.Training;

/// <summary>
/// The training texts' n-grams, extracted once and kept as integer ids (ordinal order of the n-gram strings), so
/// each fold's vocabulary and feature matrix come from counting ids instead of tokenising every text again. The
/// result is the same, bit for bit, as <see cref="FeatureVocabulary.Build"/> on the fold's texts followed by
/// <see cref="FeatureVocabulary.Vectorize"/> (a test holds the two together).
/// </summary>
internal sealed class ExtractedNgrams
{
    private readonly FeatureSettings _settings;
    private readonly string[] _wordGrams;
    private readonly string[] _charGrams;
    private readonly int[][] _wordOccurrences;
    private readonly int[][] _charOccurrences;

    private ExtractedNgrams(FeatureSettings settings, string[] wordGrams, string[] charGrams, int[][] wordOccurrences, int[][] charOccurrences)
    {
        _settings = settings;
        _wordGrams = wordGrams;
        _charGrams = charGrams;
        _wordOccurrences = wordOccurrences;
        _charOccurrences = charOccurrences;
    }

    public static ExtractedNgrams Extract(IReadOnlyList<string> texts, FeatureSettings settings)
    {
        settings.Validate();
        var grams = new (List<string> Words, List<string> Chars)[texts.Count];
        Parallel.For(0, texts.Count, i => grams[i] = TicketTextFeaturizer.Ngrams(texts[i], settings));
        var (wordGrams, wordIds) = Index(grams.SelectMany(g => g.Words));
        var (charGrams, charIds) = Index(grams.SelectMany(g => g.Chars));
        var wordOccurrences = grams.Select(g => g.Words.Select(w => wordIds[w]).ToArray()).ToArray();
        var charOccurrences = grams.Select(g => g.Chars.Select(c => charIds[c]).ToArray()).ToArray();
        return new ExtractedNgrams(settings, wordGrams, charGrams, wordOccurrences, charOccurrences);
    }

    /// <summary>The vocabulary <see cref="FeatureVocabulary.Build"/> would give for the texts at <paramref name="rows"/>.</summary>
    public FoldVocabulary Vocabulary(IReadOnlyList<int> rows)
    {
        var wordFrequency = DocumentFrequencies(_wordOccurrences, _wordGrams.Length, rows);
        var charFrequency = DocumentFrequencies(_charOccurrences, _charGrams.Length, rows);
        var minimum = _settings.MinDocumentFrequency;
        var keptWords = Enumerable.Range(0, _wordGrams.Length).Where(g => wordFrequency[g] >= minimum).ToArray();
        var keptChars = Enumerable.Range(0, _charGrams.Length).Where(g => charFrequency[g] >= minimum).ToArray();
        var idf = keptWords.Select(g => wordFrequency[g]).Concat(keptChars.Select(g => charFrequency[g]))
            .Select(df => (float)(Math.Log((1.0 + rows.Count) / (1.0 + df)) + 1.0))
            .ToArray();
        var vocabulary = new FeatureVocabulary(_settings, [.. keptWords.Select(g => _wordGrams[g])], [.. keptChars.Select(g => _charGrams[g])], idf);

        var wordFeature = new int[_wordGrams.Length];
        var charFeature = new int[_charGrams.Length];
        Array.Fill(wordFeature, -1);
        Array.Fill(charFeature, -1);
        for (var i = 0; i < keptWords.Length; i++)
        {
            wordFeature[keptWords[i]] = i;
        }

        for (var i = 0; i < keptChars.Length; i++)
        {
            charFeature[keptChars[i]] = keptWords.Length + i;
        }

        return new FoldVocabulary(vocabulary, wordFeature, charFeature);
    }

    /// <summary>The feature rows of the texts at <paramref name="rows"/>, as <see cref="FeatureVocabulary.Vectorize"/> gives them.</summary>
    public SparseMatrix Vectorize(FoldVocabulary fold, IReadOnlyList<int> rows)
    {
        var vectors = new SparseVector[rows.Count];
        Parallel.For(0, rows.Count, () => new List<int>(), (r, _, ids) =>
        {
            var text = rows[r];
            ids.Clear();
            foreach (var gram in _wordOccurrences[text])
            {
                if (fold.WordFeature[gram] >= 0)
                {
                    ids.Add(fold.WordFeature[gram]);
                }
            }

            foreach (var gram in _charOccurrences[text])
            {
                if (fold.CharFeature[gram] >= 0)
                {
                    ids.Add(fold.CharFeature[gram]);
                }
            }

            vectors[r] = fold.Vocabulary.FromOccurrences(ids);
            return ids;
        }, _ => { });
        return SparseMatrix.FromRows(vectors, fold.Vocabulary.Count);
    }

    private static (string[] Grams, Dictionary<string, int> Ids) Index(IEnumerable<string> occurrences)
    {
        var grams = occurrences.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var ids = new Dictionary<string, int>(grams.Length, StringComparer.Ordinal);
        for (var i = 0; i < grams.Length; i++)
        {
            ids[grams[i]] = i;
        }

        return (grams, ids);
    }

    /// <summary>In how many of the texts at <paramref name="rows"/> each n-gram occurs (once per text however often it repeats).</summary>
    private static int[] DocumentFrequencies(int[][] occurrences, int grams, IReadOnlyList<int> rows)
    {
        var frequency = new int[grams];
        var lastRow = new int[grams];
        Array.Fill(lastRow, -1);
        for (var r = 0; r < rows.Count; r++)
        {
            foreach (var gram in occurrences[rows[r]])
            {
                if (lastRow[gram] != r)
                {
                    lastRow[gram] = r;
                    frequency[gram]++;
                }
            }
        }

        return frequency;
    }
}

/// <summary>A fold's vocabulary and, per extracted n-gram id, its feature id in that vocabulary (-1 when not kept).</summary>
internal sealed record FoldVocabulary(FeatureVocabulary Vocabulary, int[] WordFeature, int[] CharFeature);
