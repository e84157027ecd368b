using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The metrics a job report shows and charts, by the kind of task its test rows are: accuracy, AUC, F1 and loss
/// (classification), RMSE, MAE, R² and loss (regression), Harrell's C and loss (survival); each only where some row
/// has a value. Means are unweighted over the regions that have a value, as in the charts (FLamby's figure).
/// </summary>
public static class ReportMetrics
{
    /// <summary>The metrics of <paramref name="test"/> (test rows), headline first, those without any value left out.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyCollection<RegionMetrics> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        string[] candidates = HeadlineMetric.Name(test) switch
        {
            WireNames.Metrics.CIndex => [WireNames.Metrics.CIndex, WireNames.Metrics.Loss],
            WireNames.Metrics.Rmse => [WireNames.Metrics.Rmse, WireNames.Metrics.Mae, WireNames.Metrics.R2, WireNames.Metrics.Loss],
            _ => [WireNames.Metrics.Accuracy, WireNames.Metrics.Auc, WireNames.Metrics.F1, WireNames.Metrics.Loss],
        };
        return [.. candidates.Where(metric => test.Any(m => MetricsChart.Value(m, metric) is not null))];
    }

    /// <summary>The unweighted mean of <paramref name="metric"/> over <paramref name="rows"/> that have it, or null when none has.</summary>
    public static double? Mean(IEnumerable<RegionMetrics> rows, string metric)
    {
        var values = rows.Select(m => MetricsChart.Value(m, metric)).OfType<double>().ToList();
        return values.Count == 0 ? null : values.Average();
    }
}
