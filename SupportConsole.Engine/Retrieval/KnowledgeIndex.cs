using System.Globalization;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SupportConsole.Engine.Retrieval;

public enum RetrievalMode
{
    Bm25,
    Dense,
    Hybrid,
}

/// <summary>How the help center is chunked and searched.</summary>
public sealed record RetrievalSettings
{
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>A section longer than this many words is split into overlapping windows.</summary>
    public int ChunkWords { get; init; } = 120;

    public int OverlapWords { get; init; } = 30;

    /// <summary>Reciprocal rank fusion constant: score = sum over lists of 1 / (k + rank).</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>Added to chunks of articles that answer the predicted intent, in units of a first place in one list.</summary>
    public double IntentBoost { get; init; } = 1.0;

    public double Bm25K1 { get; init; } = 1.2;

    public double Bm25B { get; init; } = 0.75;
}

/// <summary>A chunk of a section, the unit of retrieval.</summary>
public sealed record KbChunk(string ChunkId, string ArticleId, string ArticleTitle, string SectionTitle, int SectionOrder, int Order, string Text);

/// <summary>A retrieved source, best first; scores from each list are kept for explanation.</summary>
public sealed record RetrievedSource(string ArticleId, string ArticleTitle, string SectionTitle, string ChunkId, string Text, double Score,
    double Bm25Score, double DenseScore);

/// <summary>
/// An immutable search index over the help center's section chunks: BM25 and dense vectors fused by reciprocal rank,
/// with a boost for the articles that answer the predicted intent. Safe for concurrent searches.
/// </summary>
public sealed partial class KnowledgeIndex
{
    private readonly KbChunk[] _chunks;
    private readonly HashSet<string>[] _chunkIntents;
    private readonly Dictionary<string, List<(int Chunk, int Count)>> _postings;
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly float[]? _vectors;
    private readonly ITextEmbedder? _embedder;
    private readonly RetrievalSettings _settings;

    private KnowledgeIndex(KbChunk[] chunks, HashSet<string>[] chunkIntents, ITextEmbedder? embedder, RetrievalSettings settings, string version)
    {
        _chunks = chunks;
        _chunkIntents = chunkIntents;
        _embedder = embedder;
        _settings = settings;
        Version = version;
        _postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        _lengths = new int[chunks.Length];
        for (var c = 0; c < chunks.Length; c++)
        {
            var tokens = Tokens(IndexText(chunks[c])).ToList();
            _lengths[c] = tokens.Count;
            foreach (var group in tokens.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!_postings.TryGetValue(group.Key, out var list))
                {
                    _postings[group.Key] = list = [];
                }

                list.Add((c, group.Count()));
            }
        }

        _averageLength = chunks.Length == 0 ? 1 : _lengths.Average();
        _vectors = embedder is null || chunks.Length == 0 ? null : embedder.Embed([.. chunks.Select(IndexText)]);
    }

    /// <summary>Content hash of the indexed text and settings (plus the embedder's version): equal inputs, equal version.</summary>
    public string Version { get; }

    public int ChunkCount => _chunks.Length;

    public IReadOnlyList<KbChunk> Chunks => _chunks;

    public static KnowledgeIndex Build(IReadOnlyList<KbArticle> articles, ITextEmbedder? embedder, RetrievalSettings settings)
    {
        if (settings.Mode != RetrievalMode.Bm25 && embedder is null)
        {
            throw new ArgumentException($"retrieval mode {settings.Mode} needs an embedder", nameof(embedder));
        }

        var chunks = new List<KbChunk>();
        var intents = new List<HashSet<string>>();
        foreach (var article in articles.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            var articleIntents = article.Intents.ToHashSet(StringComparer.Ordinal);
            foreach (var section in article.Sections.OrderBy(s => s.Order))
            {
                var windows = Windows(section.Body, settings.ChunkWords, settings.OverlapWords);
                for (var w = 0; w < windows.Count; w++)
                {
                    chunks.Add(new KbChunk($"{article.Id}#{section.Order}.{w}", article.Id, article.Title, section.Title, section.Order, w, windows[w]));
                    intents.Add(articleIntents);
                }
            }
        }

        var hash = new StringBuilder().Append(settings).Append('|').Append(embedder?.VersionId);
        foreach (var chunk in chunks)
        {
            hash.Append('|').Append(chunk.ChunkId).Append('|').Append(chunk.SectionTitle).Append('|').Append(chunk.Text);
        }

        var version = "kb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..12];
        return new KnowledgeIndex([.. chunks], [.. intents], settings.Mode == RetrievalMode.Bm25 ? null : embedder, settings, version);
    }

    /// <summary>The best chunk of each of the top sections for <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<RetrievedSource> Search(string query, string? predictedIntent, int top)
    {
        if (_chunks.Length == 0 || top <= 0)
        {
            return [];
        }

        var bm25 = Bm25Scores(query);
        var dense = _vectors is null ? null : DenseScores(query);
        var fused = new double[_chunks.Length];
        if (_settings.Mode != RetrievalMode.Dense)
        {
            AddReciprocalRanks(bm25, fused);
        }

        if (dense is not null)
        {
            AddReciprocalRanks(dense, fused);
        }

        if (predictedIntent is not null && _settings.IntentBoost > 0)
        {
            var boost = _settings.IntentBoost / (_settings.RrfK + 1);
            for (var c = 0; c < _chunks.Length; c++)
            {
                if (_chunkIntents[c].Contains(predictedIntent))
                {
                    fused[c] += boost;
                }
            }
        }

        return [.. Enumerable.Range(0, _chunks.Length)
            .OrderByDescending(c => fused[c]).ThenBy(c => c)
            .DistinctBy(c => (_chunks[c].ArticleId, _chunks[c].SectionOrder))
            .Take(top)
            .Select(c => new RetrievedSource(_chunks[c].ArticleId, _chunks[c].ArticleTitle, _chunks[c].SectionTitle, _chunks[c].ChunkId,
                _chunks[c].Text, Math.Round(fused[c], 6), Math.Round(bm25[c], 4), dense is null ? 0 : Math.Round(dense[c], 4)))];
    }

    /// <summary>What is indexed for a chunk: article and section titles carry a lot of the meaning.</summary>
    private static string IndexText(KbChunk chunk) => $"{chunk.ArticleTitle}. {chunk.SectionTitle}. {chunk.Text}";

    private double[] Bm25Scores(string query)
    {
        var scores = new double[_chunks.Length];
        foreach (var term in Tokens(query).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var postings))
            {
                continue;
            }

            var idf = Math.Log(1 + ((_chunks.Length - postings.Count + 0.5) / (postings.Count + 0.5)));
            foreach (var (chunk, count) in postings)
            {
                var norm = _settings.Bm25K1 * (1 - _settings.Bm25B + (_settings.Bm25B * _lengths[chunk] / _averageLength));
                scores[chunk] += idf * count * (_settings.Bm25K1 + 1) / (count + norm);
            }
        }

        return scores;
    }

    private double[] DenseScores(string query)
    {
        var q = _embedder!.Embed([query]);
        var dimensions = q.Length;
        var scores = new double[_chunks.Length];
        for (var c = 0; c < _chunks.Length; c++)
        {
            scores[c] = TensorPrimitives.Dot(q, _vectors.AsSpan(c * dimensions, dimensions));
        }

        return scores;
    }

    private void AddReciprocalRanks(double[] scores, double[] fused)
    {
        var order = Enumerable.Range(0, scores.Length).Where(c => scores[c] > 0).OrderByDescending(c => scores[c]).ThenBy(c => c).ToArray();
        for (var rank = 0; rank < order.Length; rank++)
        {
            fused[order[rank]] += 1.0 / (_settings.RrfK + rank + 1);
        }
    }

    private static List<string> Windows(string body, int size, int overlap)
    {
        var words = body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= size)
        {
            return [body.Trim()];
        }

        var windows = new List<string>();
        var stride = Math.Max(1, size - overlap);
        for (var start = 0; start < words.Length; start += stride)
        {
            windows.Add(string.Join(' ', words.Skip(start).Take(size)));
            if (start + size >= words.Length)
            {
                break;
            }
        }

        return windows;
    }

    /// <summary>Lower-cased words (letters and digits); a trailing 's' of longer words is dropped so plurals meet.</summary>
    internal static IEnumerable<string> Tokens(string text) =>
        TokenPattern().Matches(text.ToLower(CultureInfo.InvariantCulture)).Select(m => Stem(m.Value));

    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex TokenPattern();
}
