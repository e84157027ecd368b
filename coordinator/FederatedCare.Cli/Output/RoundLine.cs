using System.Globalization;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// One progress line per round: each region's test accuracy (regression: RMSE; survival: Harrell's C; each so marked), their unweighted mean (as FLamby reports it), the
/// privacy spent so far (jobs with differential privacy) and the elapsed time since the job was submitted.
/// </summary>
public static class RoundLine
{
    /// <summary>
    /// Formats the line, e.g. <c>round  3 | Halland 0.7596  Karolinska 0.6966 | mean 0.7281 | 2.1 s</c>, with privacy
    /// <c>... | mean 0.7281 | ε 6.42 (δ 1e-5) | 2.1 s</c>.
    /// </summary>
    public static string Format(RoundSummary round, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (round.Privacy is { } privacy) seconds = $"{PrivacyText.EpsilonAtDelta(privacy)} | {seconds}";
        var test = round.Metrics.Where(m => m.Split == "test").OrderBy(m => m.Region, StringComparer.Ordinal).ToList();
        if (test.Count == 0) return $"round {round.Round,2} | not evaluated | {seconds} s";
        // Regression and survival rows show their RMSE or C-index, named, instead of an accuracy they do not have.
        var headline = HeadlineMetric.Name(test);
        var prefix = headline == WireNames.Metrics.Accuracy ? "" : headline + " ";
        var regions = string.Join("  ", test.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Region} {HeadlineMetric.Value(m):0.0000}")));
        var mean = test.Average(HeadlineMetric.Value);
        return string.Create(CultureInfo.InvariantCulture,
            $"round {round.Round,2} | {prefix}{regions} | mean {mean:0.0000} | {seconds} s");
    }
}
