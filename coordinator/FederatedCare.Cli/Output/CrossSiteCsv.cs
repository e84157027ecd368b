using System.Globalization;
using System.Text;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Writes a cross-site validation matrix as CSV, one row per (model, evaluating region):
/// <c>model,region,num_examples,loss,accuracy,auc,c_index</c> (auc empty where undefined; c_index, Harrell's C, only on
/// a survival model's rows, whose accuracy is then empty).
/// </summary>
public static class CrossSiteCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "model,region,num_examples,loss,accuracy,auc,c_index";

    /// <summary>Writes the entries to a file (UTF-8, LF line ends).</summary>
    public static void Write(string path, IEnumerable<CrossSiteEntry> entries) => File.WriteAllText(path, Format(entries), new UTF8Encoding(false));

    /// <summary>The entries as CSV text, ordered by model label then region.</summary>
    public static string Format(IEnumerable<CrossSiteEntry> entries)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var e in entries.OrderBy(e => e.ModelLabel, StringComparer.Ordinal).ThenBy(e => e.Metrics.Region, StringComparer.Ordinal))
        {
            var m = e.Metrics;
            var auc = m.Extra.TryGetValue(WireNames.Metrics.Auc, out var a) ? a.ToString("R", CultureInfo.InvariantCulture) : "";
            var c = m.Extra.TryGetValue(WireNames.Metrics.CIndex, out var ci) ? ci.ToString("R", CultureInfo.InvariantCulture) : "";
            sb.Append(e.ModelLabel).Append(',').Append(m.Region).Append(',')
              .Append(m.NumExamples.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(m.Loss.ToString("R", CultureInfo.InvariantCulture)).Append(',')
              .Append(HeadlineMetric.IsSurvival(m) ? "" : m.Accuracy.ToString("R", CultureInfo.InvariantCulture)).Append(',')
              .Append(auc).Append(',').Append(c).Append('\n');
        }
        return sb.ToString();
    }
}
