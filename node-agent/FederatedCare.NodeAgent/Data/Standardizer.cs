namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// Z-score standardisation as FLamby's Fed-Heart-Disease does it: per column, <c>(x − mean) / (std + 1e-9)</c> with
/// the training rows' mean and sample standard deviation (n − 1). The 1e-9 keeps constant columns (e.g. Switzerland's
/// <c>chol</c>, always 0) finite: they become 0. Statistics are computed in double precision.
/// </summary>
public sealed class Standardizer
{
    /// <summary>Added to the standard deviation, as in FLamby.</summary>
    public const double Epsilon = 1e-9;

    private readonly double[] _epsilon;

    private Standardizer(double[] mean, double[] std, double[]? epsilon = null)
    {
        Mean = mean;
        Std = std;
        _epsilon = epsilon ?? Enumerable.Repeat(Epsilon, mean.Length).ToArray();
    }

    /// <summary>
    /// Scaling with given statistics (e.g. the federation's pooled ones): <c>(x − mean) / (std + epsilon)</c>; the
    /// columns flagged in <paramref name="skip"/> are left as they are.
    /// </summary>
    public static Standardizer From(IReadOnlyList<double> mean, IReadOnlyList<double> std, double epsilon, IReadOnlyList<bool>? skip = null)
    {
        int width = mean.Count;
        var m = new double[width];
        var s = new double[width];
        var e = new double[width];
        for (int j = 0; j < width; j++)
        {
            bool keep = skip is not null && skip[j];
            (m[j], s[j], e[j]) = keep ? (0, 1, 0) : (mean[j], std[j], epsilon);
        }
        return new Standardizer(m, s, e);
    }

    /// <summary>The identity (no normalisation).</summary>
    public static Standardizer Identity(int width) => From(new double[width], new double[width], 0, Enumerable.Repeat(true, width).ToList());

    /// <summary>Fits mean and standard deviation (sample with n − 1, or population) of <paramref name="rows"/>.</summary>
    public static Standardizer Fit(IReadOnlyList<double[]> rows, int width, bool sampleStd, double epsilon, IReadOnlyList<bool>? skip = null)
    {
        var fitted = Fit(rows, width);
        if (!sampleStd && rows.Count > 1)
        {
            var std = fitted.Std.Select(x => x * Math.Sqrt((rows.Count - 1.0) / rows.Count)).ToArray();
            return From(fitted.Mean, std, epsilon, skip);
        }
        return From(fitted.Mean, fitted.Std, epsilon, skip);
    }

    /// <summary>Per-column training mean.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-column training sample standard deviation (0 when there are fewer than two rows).</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Computes the statistics of <paramref name="rows"/> (each of length <paramref name="width"/>).</summary>
    public static Standardizer Fit(IReadOnlyList<double[]> rows, int width)
    {
        var mean = new double[width];
        var std = new double[width];
        int n = rows.Count;
        if (n > 0)
        {
            foreach (var r in rows)
                for (int j = 0; j < width; j++) mean[j] += r[j];
            for (int j = 0; j < width; j++) mean[j] /= n;
        }
        if (n > 1)
        {
            foreach (var r in rows)
                for (int j = 0; j < width; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
            for (int j = 0; j < width; j++) std[j] = Math.Sqrt(std[j] / (n - 1));
        }
        return new Standardizer(mean, std);
    }

    /// <summary>Standardises <paramref name="rows"/> into a row-major float32 matrix.</summary>
    public float[] Transform(IReadOnlyList<double[]> rows)
    {
        int width = Mean.Count;
        var result = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < width; j++)
                result[i * width + j] = (float)((rows[i][j] - Mean[j]) / (Std[j] + _epsilon[j]));
        return result;
    }
}
