using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The one figure a row of metrics is summarised by in progress lines and tables: test accuracy for classification,
/// RMSE for regression (the rows that carry <c>rmse</c>), Harrell's C for survival (the rows that carry
/// <c>c_index</c>); a regression or survival row's accuracy field is an unused 0, never shown.
/// </summary>
public static class HeadlineMetric
{
    /// <summary>Whether <paramref name="m"/> is a regression row.</summary>
    public static bool IsRegression(RegionMetrics m) => m.Extra.ContainsKey(WireNames.Metrics.Rmse);

    /// <summary>Whether <paramref name="m"/> is a survival row (a Cox model's, with its concordance).</summary>
    public static bool IsSurvival(RegionMetrics m) => m.Extra.ContainsKey(WireNames.Metrics.CIndex);

    /// <summary>Whether <paramref name="m"/>'s accuracy field means anything (classification rows).</summary>
    public static bool HasAccuracy(RegionMetrics m) => !IsRegression(m) && !IsSurvival(m);

    /// <summary>The headline's name for these rows: <c>c_index</c> when any is a survival row, <c>rmse</c> when any is a
    /// regression row, else <c>accuracy</c>.</summary>
    public static string Name(IEnumerable<RegionMetrics> rows)
    {
        var all = rows.ToList();
        return all.Any(IsSurvival) ? WireNames.Metrics.CIndex : all.Any(IsRegression) ? WireNames.Metrics.Rmse : WireNames.Metrics.Accuracy;
    }

    /// <summary>The row's headline value: its C-index (survival), RMSE (regression) or accuracy.</summary>
    public static double Value(RegionMetrics m) =>
        IsSurvival(m) ? m.Extra[WireNames.Metrics.CIndex] : IsRegression(m) ? m.Extra[WireNames.Metrics.Rmse] : m.Accuracy;
}
