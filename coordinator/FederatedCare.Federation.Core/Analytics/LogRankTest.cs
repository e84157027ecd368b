using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The log-rank test across groups from their survival counts, as R's <c>survdiff(Surv(t, e) ~ group)</c>
/// (survival 3.5, ρ = 0): at each distinct event time t of the pooled counts, with n_g at risk in group g, n in all,
/// d events in all, O_g += d_g, E_g += n_g d / n and V_gh += d (n − d) / (n − 1) · (n_g / n) (δ_gh − n_h / n).
/// χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with E &gt; 0 less the first, on that many degrees of freedom; the p-value
/// is χ²'s upper tail Q(df / 2, χ² / 2) (no 1 − CDF cancellation for small p).
/// Mantel N. (1966), Cancer Chemotherapy Reports 50:163–170; Peto R. and Peto J. (1972).
/// </summary>
public static class LogRankTest
{
    /// <summary>Tests <paramref name="groups"/> (name and counts; exact or binned, all alike).</summary>
    /// <exception cref="ArgumentException">Fewer than two groups, or fewer than two with expected events.</exception>
    /// <exception cref="InvalidReleaseException">The groups mix exact and binned counts.</exception>
    public static LogRankResult Compute(IReadOnlyList<(string Name, SurvivalCounts Counts)> groups)
    {
        if (groups.Count < 2) throw new ArgumentException($"the log-rank test needs at least two groups, not {groups.Count}.", nameof(groups));
        var pooled = SurvivalCounts.Pool(groups.Select(g => g.Counts));
        int k = groups.Count;
        var observed = new long[k];
        var expected = new double[k];
        var variance = new double[k, k];
        var atRisk = new double[k];
        for (int i = 0; i < pooled.Times.Count; i++)
        {
            long d = pooled.Events[i];
            if (d == 0) continue;
            double t = pooled.Times[i], n = pooled.AtRisk[i];
            for (int g = 0; g < k; g++)
            {
                atRisk[g] = groups[g].Counts.AtRiskAt(t);
                observed[g] += groups[g].Counts.EventsAt(t);
                expected[g] += atRisk[g] * d / n;
            }
            if (n < 2) continue;
            double factor = d * (n - d) / (n * (n - 1));
            for (int g = 0; g < k; g++)
                for (int h = 0; h < k; h++)
                    variance[g, h] += factor * atRisk[g] * ((g == h ? 1 : 0) - atRisk[h] / n);
        }
        var kept = Enumerable.Range(0, k).Where(g => expected[g] > 0).Skip(1).ToArray();
        if (kept.Length == 0) throw new ArgumentException("the log-rank test needs at least two groups with rows at risk at an event time.", nameof(groups));
        var v = Matrix<double>.Build.Dense(kept.Length, kept.Length, (a, b) => variance[kept[a], kept[b]]);
        var diff = Vector<double>.Build.Dense(kept.Length, a => observed[kept[a]] - expected[kept[a]]);
        double chiSquare = diff.DotProduct(v.Solve(diff));
        return new LogRankResult([.. groups.Select(g => g.Name)], [.. groups.Select(g => g.Counts.Rows)], observed, expected, variance,
            chiSquare, kept.Length, SpecialFunctions.GammaUpperRegularized(kept.Length / 2.0, chiSquare / 2));
    }
}
