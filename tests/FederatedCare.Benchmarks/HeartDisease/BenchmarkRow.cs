using System.Globalization;

namespace FederatedCare.Benchmarks.HeartDisease;

/// <summary>
/// One line of <c>benchmark.csv</c>: a method's test accuracy on each region's test rows for one seed, their
/// unweighted mean (as FLamby reports it) and the wall time in seconds.
/// </summary>
public sealed record BenchmarkRow(string Method, long Seed, IReadOnlyList<double> Accuracies, double WallSeconds)
{
    /// <summary>The CSV header; region columns in <see cref="Regions.Columns"/> order.</summary>
    public static readonly string Header = "method,seed," + string.Join(',', Regions.Columns) + ",mean,wall_s";

    /// <summary>Mean over the regions.</summary>
    public double Mean => Accuracies.Average();

    /// <summary>The CSV line.</summary>
    public string ToCsv() => string.Join(',',
        [Method, Seed.ToString(CultureInfo.InvariantCulture), .. Accuracies.Select(F), F(Mean), WallSeconds.ToString("0.000", CultureInfo.InvariantCulture)]);

    private static string F(double v) => v.ToString("0.000000", CultureInfo.InvariantCulture);
}
