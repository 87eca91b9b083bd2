namespace SupportConsole.Engine.Routing.Calibration;

/// <summary>Exact (Clopper-Pearson) one-sided confidence bounds for a binomial proportion.</summary>
public static class ClopperPearson
{
    /// <summary>
    /// The lower bound L such that P(proportion >= L) >= <paramref name="confidence"/> after seeing
    /// <paramref name="successes"/> in <paramref name="trials"/>. Zero trials give 0.
    /// </summary>
    public static double LowerBound(int successes, int trials, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (successes == 0)
        {
            return 0;
        }

        return InverseRegularizedBeta(1 - confidence, successes, trials - successes + 1);
    }

    /// <summary>The upper bound U such that P(proportion &lt;= U) >= <paramref name="confidence"/>.</summary>
    public static double UpperBound(int successes, int trials, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (successes == trials)
        {
            return 1;
        }

        return InverseRegularizedBeta(confidence, successes + 1, trials - successes);
    }

    /// <summary>
    /// The upper bound on a proportion whose trials come in clusters that succeed together (an intent's tickets leak
    /// into the same neighbour): the Clopper-Pearson bound at the effective sample size, the row count divided by the
    /// design effect (the between-cluster variance of the ratio estimate over the variance if rows were independent,
    /// never below 1). With fewer than two clusters or no success the rows are taken as independent.
    /// </summary>
    public static double UpperBound(ReadOnlySpan<int> successesPerCluster, ReadOnlySpan<int> trialsPerCluster, double confidence)
    {
        if (successesPerCluster.Length != trialsPerCluster.Length)
        {
            throw new ArgumentException("one success count per cluster", nameof(successesPerCluster));
        }

        int successes = 0, trials = 0, clusters = 0;
        for (var k = 0; k < trialsPerCluster.Length; k++)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(successesPerCluster[k], trialsPerCluster[k]);
            successes += successesPerCluster[k];
            trials += trialsPerCluster[k];
            clusters += trialsPerCluster[k] > 0 ? 1 : 0;
        }

        if (successes == 0 || successes == trials || clusters < 2)
        {
            return UpperBound(successes, trials, confidence);
        }

        var rate = successes / (double)trials;
        var squares = 0.0;
        for (var k = 0; k < trialsPerCluster.Length; k++)
        {
            var residual = successesPerCluster[k] - (rate * trialsPerCluster[k]);
            squares += residual * residual;
        }

        var clusteredVariance = clusters / (clusters - 1.0) * squares / ((double)trials * trials);
        var independentVariance = rate * (1 - rate) / trials;
        var effectiveTrials = trials / Math.Max(1, clusteredVariance / independentVariance);
        var effectiveSuccesses = rate * effectiveTrials;
        return InverseRegularizedBeta(confidence, effectiveSuccesses + 1, effectiveTrials - effectiveSuccesses);
    }

    /// <summary>The x with I_x(a, b) = p, by bisection (I is increasing in x).</summary>
    internal static double InverseRegularizedBeta(double p, double a, double b)
    {
        double low = 0, high = 1;
        for (var i = 0; i < 100; i++)
        {
            var mid = (low + high) / 2;
            if (RegularizedBeta(mid, a, b) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction.</summary>
    internal static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x));
        if (x < (a + 1) / (a + b + 2))
        {
            return Math.Exp(logFront) * ContinuedFraction(x, a, b) / a;
        }

        return 1 - (Math.Exp(logFront) * ContinuedFraction(1 - x, b, a) / b);
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        var c = 1.0;
        var d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var result = d;
        for (var m = 1; m <= 10_000; m++)
        {
            var m2 = 2 * m;
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + (numerator * d);
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + (numerator / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            result *= d * c;

            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + (numerator * d);
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + (numerator / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            var delta = d * c;
            result *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Lanczos approximation of ln Gamma(x) for x > 0.</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients =
        [
            676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = 0.99999999999980993;
        for (var i = 0; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i + 1);
        }

        var t = x + coefficients.Length - 0.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
