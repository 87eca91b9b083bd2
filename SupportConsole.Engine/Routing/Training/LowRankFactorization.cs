namespace SupportConsole.Engine.Routing.Training;

/// <summary>
/// Splits a feature-major weight matrix W [rows, columns] into Factor [rows, rank] x Basis [rank, columns].
/// With no more columns than the rank the split is exact (Basis = identity); otherwise Basis holds the top right
/// singular vectors of W (eigenvectors of W^T W by cyclic Jacobi), the best rank-r approximation. It keeps the
/// n-gram table narrow however many intents there are.
/// </summary>
internal static class LowRankFactorization
{
    public static (float[] Factor, float[] Basis, int Rank) Factorize(float[] weights, int rows, int columns, int maxRank)
    {
        if (columns <= maxRank)
        {
            var identity = new float[columns * columns];
            for (var i = 0; i < columns; i++)
            {
                identity[(i * columns) + i] = 1f;
            }

            return ((float[])weights.Clone(), identity, columns);
        }

        var gram = new double[columns, columns];
        for (var r = 0; r < rows; r++)
        {
            var row = weights.AsSpan(r * columns, columns);
            for (var i = 0; i < columns; i++)
            {
                if (row[i] == 0f)
                {
                    continue;
                }

                for (var j = i; j < columns; j++)
                {
                    gram[i, j] += (double)row[i] * row[j];
                }
            }
        }

        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < i; j++)
            {
                gram[i, j] = gram[j, i];
            }
        }

        var (values, vectors) = SymmetricEigen(gram);
        var order = Enumerable.Range(0, columns).OrderByDescending(i => values[i]).Take(maxRank).ToArray();
        var basis = new float[maxRank * columns];
        for (var k = 0; k < maxRank; k++)
        {
            for (var c = 0; c < columns; c++)
            {
                basis[(k * columns) + c] = (float)vectors[c, order[k]];
            }
        }

        var factor = new float[rows * maxRank];
        for (var r = 0; r < rows; r++)
        {
            var row = weights.AsSpan(r * columns, columns);
            for (var k = 0; k < maxRank; k++)
            {
                var sum = 0.0;
                for (var c = 0; c < columns; c++)
                {
                    sum += row[c] * basis[(k * columns) + c];
                }

                factor[(r * maxRank) + k] = (float)sum;
            }
        }

        return (factor, basis, maxRank);
    }

    /// <summary>Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.</summary>
    internal static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            var offDiagonal = 0.0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[p, q] * a[p, q];
                }
            }

            if (offDiagonal < 1e-22)
            {
                break;
            }

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        return ([.. Enumerable.Range(0, n).Select(i => a[i, i])], v);
    }
}
