namespace SupportConsole.Engine.Retrieval;

/// <summary>One retrieved help-center source, as stored with the decision.</summary>
public sealed record SourceHit(string ArticleId, string ArticleTitle, string SectionTitle, string ChunkId, double Score, double Bm25Score, double DenseScore);
