using System.Globalization;
using FederatedCare.Protos.V1;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Kaplan–Meier plots from a Kaplan–Meier result's <c>km_curves</c> table (region, time, …, survival, lower95,
/// upper95): one SVG per region (and <c>all</c>, pooled) in <see cref="ChartStyle"/>, S(t) as a black step line from
/// (0, 1) with its 95% interval in grey (solid: see <see cref="ChartStyle"/> on dashes), time in years of 365.25 days.
/// </summary>
public static class KaplanMeierChart
{
    /// <summary>The table the plots are drawn from.</summary>
    public const string CurvesTable = "km_curves";

    /// <summary>Writes <c>km_&lt;region&gt;.svg</c> per region of <paramref name="table"/> into <paramref name="directory"/>; returns the files.</summary>
    public static IReadOnlyList<string> WriteAll(string directory, AnalysisTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int At(string column) => table.Columns.IndexOf(column);
        int region = At("region"), time = At("time"), survival = At("survival"), lower = At("lower95"), upper = At("upper95");
        if (new[] { region, time, survival, lower, upper }.Any(i => i < 0)) return [];
        var written = new List<string>();
        foreach (var curve in table.Rows.GroupBy(r => r.Cells[region]))
        {
            var model = ChartStyle.Create($"Kaplan–Meier: {curve.Key}");
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "years", Minimum = 0 });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "S(t)", Minimum = 0, Maximum = 1, MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = ChartStyle.GridColor });
            model.Series.Add(Steps("survival", curve, time, survival, OxyColors.Black, 2));
            model.Series.Add(Steps("lower 95%", curve, time, lower, OxyColors.Gray, 1));
            model.Series.Add(Steps("upper 95%", curve, time, upper, OxyColors.Gray, 1));
            var path = Path.Combine(directory, $"km_{curve.Key.ToLowerInvariant()}.svg");
            ChartFile.Write(model, path);
            written.Add(path);
        }
        return written;
    }

    private static StairStepSeries Steps(string title, IEnumerable<AnalysisRow> rows, int time, int value, OxyColor color, double thickness)
    {
        var series = new StairStepSeries { Title = title, Color = color, StrokeThickness = thickness };
        series.Points.Add(new DataPoint(0, 1));
        foreach (var row in rows)
            if (double.TryParse(row.Cells[value], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                series.Points.Add(new DataPoint(double.Parse(row.Cells[time], CultureInfo.InvariantCulture) / 365.25, v));
        return series;
    }
}
