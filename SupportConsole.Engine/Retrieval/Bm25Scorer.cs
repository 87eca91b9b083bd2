namespace SupportConsole.Engine.Retrieval;

/// <summary>Okapi BM25 over a fixed set of documents; read-only after construction, so safe for concurrent scoring.</summary>
internal sealed class Bm25Scorer
{
    private readonly Dictionary<string, (int Document, int Count)[]> _postings;
    private readonly double[] _lengthNorm;
    private readonly double _k1;
    private readonly int _documents;

    public Bm25Scorer(IReadOnlyList<IReadOnlyList<string>> documents, double k1, double b)
    {
        _k1 = k1;
        _documents = documents.Count;
        var postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        var lengths = new int[documents.Count];
        for (var d = 0; d < documents.Count; d++)
        {
            lengths[d] = documents[d].Count;
            foreach (var group in documents[d].CountBy(t => t, StringComparer.Ordinal))
            {
                if (!postings.TryGetValue(group.Key, out var list))
                {
                    postings[group.Key] = list = [];
                }

                list.Add((d, group.Value));
            }
        }

        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var average = lengths.Length == 0 ? 1 : Math.Max(1, lengths.Average());
        _lengthNorm = [.. lengths.Select(length => k1 * (1 - b + (b * length / average)))];
    }

    /// <summary>One score per document; each distinct query term counts once.</summary>
    public double[] Score(IEnumerable<string> queryTerms)
    {
        var scores = new double[_documents];
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var postings))
            {
                continue;
            }

            // The "+1" inside the log (Lucene's variant) keeps idf positive for terms in more than half the documents.
            var idf = Math.Log(1 + ((_documents - postings.Length + 0.5) / (postings.Length + 0.5)));
            foreach (var (document, count) in postings)
            {
                scores[document] += idf * count * (_k1 + 1) / (count + _lengthNorm[document]);
            }
        }

        return scores;
    }
}
