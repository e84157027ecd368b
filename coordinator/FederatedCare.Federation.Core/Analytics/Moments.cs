namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Count, mean and sum of squared deviations from the mean (M2) of a numeric column: what a region releases for its
/// mean and standard deviation, pooled without losing precision by Chan, Golub and LeVeque's update
/// (Chan T. F. et al. (1983), "Algorithms for computing the sample variance", The American Statistician 37:242–247).
/// </summary>
/// <param name="Count">Values (non-missing).</param>
/// <param name="Mean">Their mean.</param>
/// <param name="SumOfSquaredDeviations">Σ (x − mean)².</param>
public readonly record struct Moments(long Count, double Mean, double SumOfSquaredDeviations)
{
    /// <summary>The sample standard deviation √(M2 / (n − 1)); NaN for fewer than two values.</summary>
    public double StandardDeviation => Count > 1 ? Math.Sqrt(SumOfSquaredDeviations / (Count - 1)) : double.NaN;

    /// <summary>
    /// The moments of both populations together: n = n_a + n_b, δ = mean_b − mean_a, mean = mean_a + δ n_b / n,
    /// M2 = M2_a + M2_b + δ² n_a n_b / n.
    /// </summary>
    public static Moments Combine(Moments a, Moments b)
    {
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        long n = checked(a.Count + b.Count);
        double delta = b.Mean - a.Mean;
        return new Moments(n, a.Mean + delta * b.Count / n, a.SumOfSquaredDeviations + b.SumOfSquaredDeviations + delta * delta * ((double)a.Count * b.Count / n));
    }

    /// <summary>All populations together (<see cref="Combine"/> in the order given).</summary>
    public static Moments Pool(IEnumerable<Moments> populations) => populations.Aggregate(new Moments(0, 0, 0), Combine);

    /// <summary>Checks a region's release: a count ≥ 0, a finite mean and M2 ≥ 0.</summary>
    /// <exception cref="InvalidReleaseException">It is not.</exception>
    public void Validate(string what)
    {
        if (Count < 0 || !double.IsFinite(Mean) || !double.IsFinite(SumOfSquaredDeviations) || SumOfSquaredDeviations < 0)
            throw new InvalidReleaseException($"{what}: count {Count}, mean {Mean} and M2 {SumOfSquaredDeviations} are not moments.");
    }
}
