using MathNet.Numerics.Distributions;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The Kaplan–Meier estimator on survival counts, as R's <c>survfit(Surv(time, event) ~ 1)</c> (survival 3.5):
/// S(t) = Π (n − d) / n over event times ≤ t, Greenwood's variance of the cumulative hazard Σ d / (n (n − d)), and
/// the interval with R's default log transform (<c>conf.type = "log"</c>): <c>S · exp(±z · se)</c>, the upper bound
/// capped at 1. Kaplan E. L. and Meier P. (1958), JASA 53:457–481; Greenwood M. (1926).
/// </summary>
public static class KaplanMeier
{
    /// <summary>Fits the curve on <paramref name="counts"/> (one region's, or pooled with <see cref="SurvivalCounts.Pool"/>).</summary>
    /// <param name="counts">The counts.</param>
    /// <param name="confidenceLevel">The level of the intervals, in (0, 1); R's default 0.95.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is not in (0, 1).</exception>
    public static KaplanMeierCurve Fit(SurvivalCounts counts, double confidenceLevel = 0.95)
    {
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "the confidence level is in (0, 1).");
        double z = Normal.InvCDF(0, 1, 1 - (1 - confidenceLevel) / 2);
        var steps = new KaplanMeierStep[counts.Times.Count];
        double survival = 1, greenwood = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            long n = counts.AtRisk[i], d = counts.Events[i];
            if (d > 0)
            {
                survival *= (double)(n - d) / n;
                greenwood += n > d ? d / ((double)n * (n - d)) : double.PositiveInfinity;
            }
            double se = Math.Sqrt(greenwood);
            double lower = survival > 0 ? Math.Exp(Math.Log(survival) - z * se) : double.NaN;
            double upper = survival > 0 ? Math.Min(1, Math.Exp(Math.Log(survival) + z * se)) : double.NaN;
            steps[i] = new KaplanMeierStep(counts.Times[i], n, d, counts.Censored[i], survival, se, lower, upper);
        }
        return new KaplanMeierCurve(steps, confidenceLevel, counts);
    }
}
