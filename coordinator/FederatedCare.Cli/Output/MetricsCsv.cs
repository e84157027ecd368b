using System.Globalization;
using System.Text;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Writes per-round, per-region metrics as CSV with the header
/// <c>round,region,split,num_examples,loss,accuracy,auc,f1,rmse,mae,r2,c_index</c>, ordered by round, region (ordinal) and split,
/// with invariant, round-trippable numbers so that two runs with the same seed give byte-identical files. A cell is
/// empty where the row has no such metric: AUC where a region's rows hold one class, accuracy, AUC and F1 of regression
/// and survival rows, the regression metrics of classification rows, the C-index (Harrell's C) of all but survival rows.
/// </summary>
public static class MetricsCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "round,region,split,num_examples,loss,accuracy,auc,f1,rmse,mae,r2,c_index";

    private static readonly string[] Extras =
        [WireNames.Metrics.Auc, WireNames.Metrics.F1, WireNames.Metrics.Rmse, WireNames.Metrics.Mae, WireNames.Metrics.R2, WireNames.Metrics.CIndex];

    /// <summary>Writes the rows to a file (UTF-8, LF line ends).</summary>
    public static void Write(string path, IEnumerable<RegionMetrics> metrics) => File.WriteAllText(path, Format(metrics), new UTF8Encoding(false));

    /// <summary>The rows as CSV text.</summary>
    public static string Format(IEnumerable<RegionMetrics> metrics)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var m in metrics.OrderBy(m => m.Round).ThenBy(m => m.Region, StringComparer.Ordinal).ThenBy(m => m.Split, StringComparer.Ordinal))
        {
            sb.Append(m.Round.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(m.Region).Append(',')
              .Append(m.Split).Append(',')
              .Append(m.NumExamples.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(m.Loss.ToString("R", CultureInfo.InvariantCulture)).Append(',')
              .Append(!HeadlineMetric.HasAccuracy(m) ? "" : m.Accuracy.ToString("R", CultureInfo.InvariantCulture));
            foreach (var key in Extras)
                sb.Append(',').Append(m.Extra.TryGetValue(key, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
