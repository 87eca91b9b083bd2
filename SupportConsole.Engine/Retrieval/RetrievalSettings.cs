namespace SupportConsole.Engine.Retrieval;

/// <summary>Which ranked lists a search uses.</summary>
public enum RetrievalMode
{
    /// <summary>Okapi BM25 over the chunks' words only.</summary>
    Bm25,

    /// <summary>Cosine similarity of the embedder's vectors only.</summary>
    Dense,

    /// <summary>Reciprocal rank fusion of the BM25 and dense lists.</summary>
    Hybrid,
}

/// <summary>How the help center is chunked and searched; the defaults were chosen on the demo tenant's golden set.</summary>
public sealed record RetrievalSettings
{
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;

    /// <summary>Sources returned when the caller does not ask for a number.</summary>
    public int Top { get; init; } = 3;

    /// <summary>A section longer than this many words is split into overlapping windows.</summary>
    public int ChunkWords { get; init; } = 120;

    /// <summary>Words shared by consecutive windows of a long section.</summary>
    public int OverlapWords { get; init; } = 30;

    /// <summary>Reciprocal rank fusion constant: score = sum over lists of 1 / (k + rank).</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>Added to chunks of articles that answer the predicted intent, in units of a first place in one list.</summary>
    public double IntentBoost { get; init; } = 1.0;

    /// <summary>BM25 term-frequency saturation; 2.0 beat 1.2 by about two points of recall on the golden set.</summary>
    public double Bm25K1 { get; init; } = 2.0;

    /// <summary>BM25 length normalisation.</summary>
    public double Bm25B { get; init; } = 0.75;

    /// <summary>Drop a plural 's' from longer words before BM25 matching; off because it did not measurably help.</summary>
    public bool LightStemming { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require(Top >= 1, nameof(Top), Top, "must be at least 1");
        Require(ChunkWords >= 1, nameof(ChunkWords), ChunkWords, "must be at least 1");
        Require(OverlapWords >= 0 && OverlapWords < ChunkWords, nameof(OverlapWords), OverlapWords, "must be at least 0 and less than ChunkWords");
        Require(RrfK >= 0, nameof(RrfK), RrfK, "must not be negative");
        Require(IntentBoost >= 0 && double.IsFinite(IntentBoost), nameof(IntentBoost), IntentBoost, "must be a finite number >= 0");
        Require(Bm25K1 >= 0 && double.IsFinite(Bm25K1), nameof(Bm25K1), Bm25K1, "must be a finite number >= 0");
        Require(Bm25B is >= 0 and <= 1, nameof(Bm25B), Bm25B, "must be between 0 and 1");
    }

    private static void Require(bool condition, string name, object value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"retrieval setting {name} {rule} (is {value})", name);
        }
    }
}
