namespace FederatedCare.Federation.Core.Analytics;

/// <summary>The first quartile, median and third quartile of a column (R type 7).</summary>
public readonly record struct Quartiles(double Q1, double Median, double Q3)
{
    /// <summary>The probabilities a Table 1 search asks for: 0.25, 0.5, 0.75.</summary>
    public static IReadOnlyList<double> Probabilities { get; } = [0.25, 0.5, 0.75];
}
