using SupportConsole.Engine.Routing;
using SupportConsole.Engine.Routing.Training;

namespace SupportConsole.Tests.Routing;

public sealed class SoftmaxRegressionTests
{
    private const int Rows = 300, Columns = 24, Classes = 7;

    [Fact]
    public void DenseRowsFitTheSameBitsAsTheSparsePath()
    {
        var (dense, labels) = EmbeddingLikeProblem(dropOneZero: false);
        var (sparse, _) = EmbeddingLikeProblem(dropOneZero: true);

        var viaDense = new SoftmaxRegressionTrainer(1e-4).Fit(dense, labels, Classes);
        var viaSparse = new SoftmaxRegressionTrainer(1e-4).Fit(sparse, labels, Classes);

        Assert.Contains(viaDense.Parameters, p => p != 0);
        Assert.Equal(viaSparse.Parameters, viaDense.Parameters);
    }

    [Fact]
    public void TwoThreadsFitTheSameBitsAsOne()
    {
        var (x, labels) = EmbeddingLikeProblem(dropOneZero: false);

        var one = new SoftmaxRegressionTrainer(1e-4).Fit(x, labels, Classes);
        var two = new SoftmaxRegressionTrainer(1e-4, parallelism: 2).Fit(x, labels, Classes);

        Assert.Equal(one.Parameters, two.Parameters);
    }

    /// <summary>
    /// Every row holds every column (as an embedding does), except that <paramref name="dropOneZero"/> leaves out one
    /// entry whose value is zero: the same matrix, which the trainer then treats as sparse.
    /// </summary>
    private static (SparseMatrix X, int[] Labels) EmbeddingLikeProblem(bool dropOneZero)
    {
        var random = new Random(5);
        var rows = new List<SparseVector>();
        var labels = new int[Rows];
        for (var r = 0; r < Rows; r++)
        {
            labels[r] = r % Classes;
            var values = Enumerable.Range(0, Columns)
                .Select(c => (float)(random.NextDouble() - 0.5 + (c % Classes == labels[r] ? 0.8 : 0))).ToArray();
            var columns = Enumerable.Range(0, Columns).ToArray();
            if (r == 17)
            {
                values[3] = 0;
                if (dropOneZero)
                {
                    (columns, values) = ([.. columns.Where(c => c != 3)], [.. values.Where((_, c) => c != 3)]);
                }
            }

            rows.Add(new SparseVector(columns, values));
        }

        return (SparseMatrix.FromRows(rows, Columns), labels);
    }
}
