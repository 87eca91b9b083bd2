using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Training;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Routing;

public sealed class ExtractedNgramsTests
{
    private static readonly FeatureSettings Settings = new();

    [Fact]
    public void AFoldsVocabularyAndRowsEqualBuildingThemFromTheFoldsTexts()
    {
        var texts = LabelledTicketCsv.Read(RepositoryPaths.Banking77Train, requireCategory: true).Take(600).Select(e => e.Text)
            .Concat(["", "!!! ??? ...", "Ünïcödé ÇAFÉ straße 東京 ticket", "repeat repeat repeat repeat", new string('x', 3000)])
            .ToArray();
        var trainRows = Enumerable.Range(0, texts.Length).Where(i => i % 5 != 2).ToArray();
        var validRows = Enumerable.Range(0, texts.Length).Where(i => i % 5 == 2).ToArray();

        var extracted = ExtractedNgrams.Extract(texts, Settings);
        var fold = extracted.Vocabulary(trainRows);
        var expected = FeatureVocabulary.Build([.. trainRows.Select(i => texts[i])], Settings);

        Assert.Equal(expected.WordGrams, fold.Vocabulary.WordGrams);
        Assert.Equal(expected.CharGrams, fold.Vocabulary.CharGrams);
        Assert.Equal(expected.Idf, fold.Vocabulary.Idf);
        foreach (var rows in new[] { trainRows, validRows })
        {
            var matrix = extracted.Vectorize(fold, rows);
            for (var r = 0; r < rows.Length; r++)
            {
                var vector = expected.Vectorize(texts[rows[r]]);
                var range = matrix.RowStart[r]..matrix.RowStart[r + 1];
                Assert.Equal(vector.Indices, matrix.ColumnIndex[range]);
                Assert.Equal(vector.Values, matrix.Values[range]);
            }
        }
    }

    [Fact]
    public void RowsWithoutAnyKnownNgramAreEmpty()
    {
        string[] texts = ["card arrived", "card arrived late", "zzz qqq"];

        var extracted = ExtractedNgrams.Extract(texts, Settings);
        var matrix = extracted.Vectorize(extracted.Vocabulary([0, 1]), [2]);

        Assert.Equal(0, matrix.RowStart[1]);
    }
}
