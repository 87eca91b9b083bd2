using SupportConsole.Engine.Routing;

namespace SupportConsole.Engine.Retrieval;

/// <summary>A golden-set ticket: its text, its labelled intent and the article that answers it.</summary>
public sealed record GoldenQuery(string Text, string Intent, string ExpectedArticle);

/// <summary>Share of queries whose expected article is among the articles of the first 1 and 3 sources.</summary>
public sealed record RetrievalRecall(int Queries, double RecallAt1, double RecallAt3);

/// <summary>Measures retrieval on a golden set: does the expected article come back near the top?</summary>
public static class RetrievalEvaluator
{
    /// <summary>Reads a golden-set CSV (columns text, category, expected_article; others ignored).</summary>
    public static IReadOnlyList<GoldenQuery> ReadGoldenSet(string path)
    {
        var rows = LabelledTicketCsv.Read(path, requireCategory: true);
        var queries = new List<GoldenQuery>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var article = rows[i].Column("expected_article")
                ?? throw new DataFileException($"{path}: row {i + 2} has no expected_article");
            queries.Add(new GoldenQuery(rows[i].Text, rows[i].Category!, article));
        }

        return queries;
    }

    /// <summary>
    /// Recall@1 and @3 over the sources <see cref="KnowledgeIndex.Search(string, string?, int)"/> returns (one per
    /// section); with <paramref name="withIntent"/> the labelled intent is passed as the predicted one.
    /// </summary>
    public static RetrievalRecall Evaluate(KnowledgeIndex index, IReadOnlyList<GoldenQuery> queries, bool withIntent)
    {
        if (queries.Count == 0)
        {
            return new RetrievalRecall(0, 0, 0);
        }

        var ranks = new int[queries.Count];
        Parallel.For(0, queries.Count, i =>
        {
            var sources = index.Search(queries[i].Text, withIntent ? queries[i].Intent : null, 3);
            ranks[i] = -1;
            for (var r = 0; r < sources.Count; r++)
            {
                if (sources[r].ArticleId == queries[i].ExpectedArticle)
                {
                    ranks[i] = r;
                    break;
                }
            }
        });

        return new RetrievalRecall(queries.Count,
            Math.Round(ranks.Count(r => r == 0) / (double)queries.Count, 4),
            Math.Round(ranks.Count(r => r >= 0) / (double)queries.Count, 4));
    }

    /// <summary>Expected articles that the knowledge base does not have (a golden set and a KB out of step).</summary>
    public static IReadOnlyList<string> MissingArticles(IReadOnlyList<GoldenQuery> queries, IReadOnlyList<KbArticle> articles)
    {
        var ids = articles.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        return [.. queries.Select(q => q.ExpectedArticle).Where(a => !ids.Contains(a)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
