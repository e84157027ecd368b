namespace FederatedCare.Federation.Core.Analytics;

/// <summary>A fitted Kaplan–Meier curve: one step per time point of the counts it was fitted on, ascending.</summary>
/// <param name="Steps">The estimate after each time point.</param>
/// <param name="ConfidenceLevel">The level of the intervals, e.g. 0.95.</param>
/// <param name="Counts">The counts it was fitted on (for the numbers at risk at any time).</param>
public sealed record KaplanMeierCurve(IReadOnlyList<KaplanMeierStep> Steps, double ConfidenceLevel, SurvivalCounts Counts)
{
    /// <summary>
    /// The estimate at each of <paramref name="times"/> (ascending): S, its interval and the number at risk there,
    /// as R's <c>summary(fit, times = times, extend = TRUE)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The times are not finite and ascending.</exception>
    public IReadOnlyList<KaplanMeierSummaryRow> At(IReadOnlyList<double> times)
    {
        var rows = new List<KaplanMeierSummaryRow>(times.Count);
        int next = 0;
        for (int k = 0; k < times.Count; k++)
        {
            double t = times[k];
            if (!double.IsFinite(t) || (k > 0 && t < times[k - 1]))
                throw new ArgumentException($"summary times must be finite and ascending; {t} at {k} is not.", nameof(times));
            long events = 0;
            while (next < Steps.Count && Steps[next].Time <= t) events += Steps[next++].Events;
            rows.Add(next == 0
                ? new KaplanMeierSummaryRow(t, Counts.AtRiskAt(t), events, 1, 0, 1, 1)
                : new KaplanMeierSummaryRow(t, Counts.AtRiskAt(t), events, Steps[next - 1].Survival, Steps[next - 1].StandardError,
                    Steps[next - 1].Lower, Steps[next - 1].Upper));
        }
        return rows;
    }
}
