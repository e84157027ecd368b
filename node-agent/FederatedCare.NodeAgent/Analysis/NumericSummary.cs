namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// A region's Table 1 release for a numeric column: the count of its values and of missing cells (one partition of
/// the region's rows, suppressed by <see cref="SmallCellSuppression.Partition"/>), and, when the count is released,
/// the mean and the sum of squared deviations M2 (two-pass, for accuracy). <c>null</c> = suppressed.
/// </summary>
/// <param name="Count">Non-missing values.</param>
/// <param name="Missing">Missing cells.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="SumOfSquaredDeviations">Σ (x − mean)².</param>
public sealed record NumericSummary(long? Count, long? Missing, double? Mean, double? SumOfSquaredDeviations)
{
    /// <summary>Summarises a column: <paramref name="values"/> with NaN for a missing cell.</summary>
    /// <exception cref="ArgumentException">A value is infinite.</exception>
    public static NumericSummary Of(ReadOnlySpan<double> values, int minCellCount)
    {
        long n = 0;
        double sum = 0;
        foreach (var v in values)
        {
            if (double.IsInfinity(v)) throw new ArgumentException("a value is not finite (the value stays in the region).", nameof(values));
            if (double.IsNaN(v)) continue;
            n++;
            sum += v;
        }
        var released = SmallCellSuppression.Partition([n, values.Length - n], minCellCount);
        if (released[0] is null or 0) return new NumericSummary(released[0], released[1], null, null);
        double mean = sum / n, m2 = 0;
        foreach (var v in values)
            if (!double.IsNaN(v)) m2 += (v - mean) * (v - mean);
        return new NumericSummary(n, released[1], mean, m2);
    }
}
