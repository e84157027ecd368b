using System.Globalization;
using FederatedCare.Protos.V1;
using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>The cross-site matrix as a console table: models as rows, evaluating regions as columns, test accuracy (regression: RMSE; survival: Harrell's C) in each cell.</summary>
public static class CrossSiteTable
{
    /// <summary>Builds the table.</summary>
    public static Table Create(IEnumerable<CrossSiteEntry> entries)
    {
        var all = entries.ToList();
        var regions = all.Select(e => e.Metrics.Region).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new Table().AddColumn("model \\ test rows of");
        foreach (var r in regions) table.AddColumn(Markup.Escape(r));
        foreach (var model in all.GroupBy(e => e.ModelLabel).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var cells = regions.Select(r => (model.FirstOrDefault(e => e.Metrics.Region == r)?.Metrics is { } m ? HeadlineMetric.Value(m).ToString("0.0000", CultureInfo.InvariantCulture) : null) ?? "-");
            table.AddRow([Markup.Escape(model.Key), .. cells]);
        }
        return table;
    }
}
