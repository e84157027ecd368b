using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The one figure a row of metrics is summarised by in progress lines and tables: test accuracy for classification,
/// RMSE for regression (the rows that carry <c>rmse</c>; their accuracy field is an unused 0, never shown).
/// </summary>
public static class HeadlineMetric
{
    /// <summary>Whether <paramref name="m"/> is a regression row.</summary>
    public static bool IsRegression(RegionMetrics m) => m.Extra.ContainsKey(WireNames.Metrics.Rmse);

    /// <summary>The headline's name for these rows: <c>rmse</c> when any is a regression row, else <c>accuracy</c>.</summary>
    public static string Name(IEnumerable<RegionMetrics> rows) => rows.Any(IsRegression) ? WireNames.Metrics.Rmse : WireNames.Metrics.Accuracy;

    /// <summary>The row's headline value: its RMSE (regression) or accuracy.</summary>
    public static double Value(RegionMetrics m) => IsRegression(m) ? m.Extra[WireNames.Metrics.Rmse] : m.Accuracy;
}
