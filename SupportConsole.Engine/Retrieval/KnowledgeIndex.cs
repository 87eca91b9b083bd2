using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using SupportConsole.Engine.Encoders;

namespace SupportConsole.Engine.Retrieval;

/// <summary>A retrieved source, best first; the scores of each list are kept for explanation.</summary>
public sealed record RetrievedSource(string ArticleId, string ArticleTitle, string SectionTitle, string ChunkId, string Text, double Score,
    double Bm25Score, double DenseScore);

/// <summary>
/// An immutable search index over the help center's section chunks: BM25 and dense vectors fused by reciprocal rank,
/// with a boost for the articles that answer the predicted intent. Safe for concurrent searches.
/// </summary>
public sealed class KnowledgeIndex
{
    private readonly KbChunk[] _chunks;
    private readonly HashSet<string>[] _chunkIntents;
    private readonly Bm25Scorer _bm25;
    private readonly float[]? _vectors;
    private readonly ITextEmbedder? _embedder;
    private readonly RetrievalSettings _settings;

    private KnowledgeIndex(KbChunk[] chunks, HashSet<string>[] chunkIntents, ITextEmbedder? embedder, ITextEmbedder? chunkEmbedder,
        RetrievalSettings settings, string version)
    {
        _chunks = chunks;
        _chunkIntents = chunkIntents;
        _embedder = embedder;
        _settings = settings;
        Version = version;
        _bm25 = new Bm25Scorer([.. chunks.Select(c => RetrievalTokenizer.Tokenize(IndexText(c), settings.LightStemming))], settings.Bm25K1, settings.Bm25B);
        _vectors = chunkEmbedder is null || chunks.Length == 0 ? null : chunkEmbedder.Embed([.. chunks.Select(IndexText)]);
        if (_vectors is not null && _vectors.Length != chunks.Length * embedder!.Dimensions)
        {
            throw new InvalidOperationException(
                $"embedder {embedder.VersionId} returned {_vectors.Length} values for {chunks.Length} chunks of {embedder.Dimensions} dimensions");
        }
    }

    /// <summary>Content hash of the indexed text and settings (plus the embedder's version): equal inputs, equal version.</summary>
    public string Version { get; }

    public int ChunkCount => _chunks.Length;

    public RetrievalSettings Settings => _settings;

    public IReadOnlyList<KbChunk> Chunks => _chunks;

    /// <summary>
    /// Chunks <paramref name="articles"/> and indexes them; <paramref name="embedder"/> is needed for the dense and hybrid
    /// modes and ignored in BM25 mode. Embeds every chunk once, so build once per knowledge-base version; queries are
    /// always embedded by <paramref name="embedder"/>, chunks by <paramref name="chunkEmbedder"/> when given (the same
    /// model behind a cache of section vectors).
    /// </summary>
    public static KnowledgeIndex Build(IReadOnlyList<KbArticle> articles, ITextEmbedder? embedder, RetrievalSettings settings,
        ITextEmbedder? chunkEmbedder = null)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (settings.Mode != RetrievalMode.Bm25 && embedder is null)
        {
            throw new ArgumentException($"retrieval mode {settings.Mode} needs an embedder", nameof(embedder));
        }

        if (chunkEmbedder is not null && (chunkEmbedder.VersionId != embedder?.VersionId || chunkEmbedder.Dimensions != embedder.Dimensions))
        {
            throw new ArgumentException($"chunks embedded by {chunkEmbedder.VersionId} cannot be searched with {embedder?.VersionId ?? "no embedder"}", nameof(chunkEmbedder));
        }

        var duplicate = articles.GroupBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"article {duplicate.Key} appears {duplicate.Count()} times", nameof(articles));
        }

        var chunks = KbChunker.Chunk(articles, settings.ChunkWords, settings.OverlapWords);
        var intents = articles.ToDictionary(a => a.Id, a => a.Intents.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var used = settings.Mode == RetrievalMode.Bm25 ? null : embedder;
        var hash = new StringBuilder().Append(settings).Append('|').Append(used?.VersionId);
        foreach (var article in articles.OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            hash.Append('|').Append(article.Id).Append('|').Append(article.Title).Append('|').AppendJoin(',', article.Intents.Order(StringComparer.Ordinal));
        }

        foreach (var chunk in chunks)
        {
            hash.Append('|').Append(chunk.ChunkId).Append('|').Append(chunk.SectionTitle).Append('|').Append(chunk.Text);
        }

        var version = "kb-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString())))[..12];
        return new KnowledgeIndex([.. chunks], [.. chunks.Select(c => intents[c.ArticleId])], used, used is null ? null : chunkEmbedder ?? used,
            settings, version);
    }

    /// <summary>
    /// The best chunk of each of the top <paramref name="top"/> sections for <paramref name="query"/>, best first.
    /// <paramref name="lexicalOnly"/> leaves the embedder out (BM25 and the intent's boost only): for a ticket whose intent
    /// is already certified, where the boost finds its sections and an encoder call would cost more than the rest of it.
    /// </summary>
    public IReadOnlyList<RetrievedSource> Search(string query, string? predictedIntent, int top, bool lexicalOnly = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_chunks.Length == 0 || top <= 0)
        {
            return [];
        }

        var bm25 = _bm25.Score(RetrievalTokenizer.Tokenize(query, _settings.LightStemming));
        var dense = _vectors is null || lexicalOnly ? null : DenseScores(query);
        var fused = new double[_chunks.Length];
        if (_settings.Mode != RetrievalMode.Dense || dense is null)
        {
            AddReciprocalRanks(bm25, fused);
        }

        if (_settings.Mode != RetrievalMode.Bm25 && dense is not null)
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

        // The best chunk of each section: chunks best first, the first of every (article, section) kept.
        var results = new List<RetrievedSource>(top);
        var sections = new HashSet<(string ArticleId, int SectionOrder)>();
        foreach (var c in PositiveBestFirst(fused))
        {
            var chunk = _chunks[c];
            if (!sections.Add((chunk.ArticleId, chunk.SectionOrder)))
            {
                continue;
            }

            results.Add(new RetrievedSource(chunk.ArticleId, chunk.ArticleTitle, chunk.SectionTitle, chunk.ChunkId, chunk.Text,
                Math.Round(fused[c], 6), Math.Round(bm25[c], 4), dense is null ? 0 : Math.Round(dense[c], 4)));
            if (results.Count == top)
            {
                break;
            }
        }

        return results;
    }

    /// <summary>The <see cref="RetrievalSettings.Top"/> best sources.</summary>
    public IReadOnlyList<RetrievedSource> Search(string query, string? predictedIntent = null) => Search(query, predictedIntent, _settings.Top);

    /// <summary>What is indexed for a chunk: article and section titles carry a lot of the meaning.</summary>
    private static string IndexText(KbChunk chunk) => $"{chunk.ArticleTitle}. {chunk.SectionTitle}. {chunk.Text}";

    private double[] DenseScores(string query)
    {
        var q = _embedder!.Embed([query]);
        var scores = new double[_chunks.Length];
        for (var c = 0; c < _chunks.Length; c++)
        {
            scores[c] = TensorPrimitives.Dot(q, _vectors.AsSpan(c * q.Length, q.Length));
        }

        return scores;
    }

    /// <summary>Adds 1 / (k + rank) for every chunk with a positive score; chunks that do not match at all get nothing.</summary>
    private void AddReciprocalRanks(double[] scores, double[] fused)
    {
        var order = PositiveBestFirst(scores);
        for (var rank = 0; rank < order.Length; rank++)
        {
            fused[order[rank]] += 1.0 / (_settings.RrfK + rank + 1);
        }
    }

    /// <summary>The indexes of the positive scores, highest score first and, on equal scores, lowest index first.</summary>
    private static int[] PositiveBestFirst(double[] scores)
    {
        var count = 0;
        foreach (var score in scores)
        {
            if (score > 0)
            {
                count++;
            }
        }

        var order = new int[count];
        for (int c = 0, next = 0; c < scores.Length; c++)
        {
            if (scores[c] > 0)
            {
                order[next++] = c;
            }
        }

        // A total order (the index breaks ties), so the unstable sort gives the one result a stable one would.
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var byScore and not 0 ? byScore : a.CompareTo(b));
        return order;
    }
}
