namespace SupportConsole.Engine.Encoders;

/// <summary>
/// An embedder whose vectors are kept in an <see cref="EmbeddingCache"/>: for texts that come back unchanged, such as
/// help-center sections on every start and every rebuild. Never for ticket texts, which must not be written to disk.
/// </summary>
public sealed class CachedTextEmbedder(ITextEmbedder inner, EmbeddingCache cache) : ITextEmbedder
{
    public int Dimensions => inner.Dimensions;

    public string VersionId => inner.VersionId;

    public float[] Embed(IReadOnlyList<string> texts) => cache.Embed(inner, texts, progress: null, CancellationToken.None).Rows;
}
