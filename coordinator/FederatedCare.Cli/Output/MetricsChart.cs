using System.Globalization;
using FederatedCare.Protos.V1;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace FederatedCare.Cli.Output;

/// <summary>
/// A per-round line chart of one evaluation metric, one line per region plus their unweighted mean (the figure
/// FLamby reports), in <see cref="ChartStyle"/> and written by <see cref="ChartFile"/> (PNG or SVG): what a researcher
/// looks at to see whether regions converge together.
/// </summary>
public static class MetricsChart
{
    /// <summary>
    /// The metrics a chart can show: <c>accuracy</c>, <c>loss</c>, <c>auc</c>, <c>f1</c> (classification), <c>rmse</c>,
    /// <c>mae</c>, <c>r2</c> (regression) or <c>c_index</c> (survival), each left out where a row has none.
    /// </summary>
    public static IReadOnlyList<string> Metrics { get; } =
    [
        WireNames.Metrics.Accuracy, WireNames.Metrics.Loss, WireNames.Metrics.Auc, WireNames.Metrics.F1,
        WireNames.Metrics.Rmse, WireNames.Metrics.Mae, WireNames.Metrics.R2, WireNames.Metrics.CIndex,
    ];

    /// <summary>
    /// The rows a chart can show: <c>test</c> and <c>train</c> (the global model evaluated by each region) or <c>fit</c>
    /// (what nodes reported of their local training).
    /// </summary>
    public static IReadOnlyList<string> Splits { get; } = [WireNames.Splits.Test, WireNames.Splits.Train, WireNames.Splits.Fit];

    /// <summary>
    /// Builds the chart of <paramref name="metric"/> on <paramref name="split"/> rows, titled <paramref name="title"/>
    /// (e.g. <see cref="Title"/>) over <paramref name="subtitle"/> (e.g. the job).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown metric.</exception>
    /// <exception cref="InvalidDataException">No values of the metric on that split (yet).</exception>
    public static PlotModel Create(string title, IEnumerable<RegionMetrics> metrics, string metric, string split, string? subtitle = null)
    {
        if (!Metrics.Contains(metric))
            throw new ArgumentException($"Unknown metric '{metric}'; use {string.Join(", ", Metrics)}.");
        var points = metrics.Where(m => m.Split == split)
            .Select(m => (m.Region, m.Round, Value: Value(m, metric)))
            .Where(p => p.Value is not null)
            .Select(p => (p.Region, p.Round, Value: p.Value!.Value))
            .ToList();
        if (points.Count == 0 && split == WireNames.Splits.Fit && metric == WireNames.Metrics.Accuracy)
            throw new InvalidDataException("The nodes report no accuracy of their local training ('fit' rows): chart its loss (--metric loss), or accuracy on --split test.");
        if (points.Count == 0)
            throw new InvalidDataException($"The job has no {metric} values on '{split}' rows yet.");

        var model = ChartStyle.Create(title, subtitle);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "round", MinimumMajorStep = 1, MinimumMinorStep = 1 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = $"{split} {metric}", MajorGridlineStyle = LineStyle.Solid, MajorGridlineColor = ChartStyle.GridColor });
        foreach (var (region, index) in points.GroupBy(p => p.Region).OrderBy(g => g.Key, StringComparer.Ordinal).Select((g, i) => (g, i)))
        {
            var (color, marker) = ChartStyle.Series(index);
            // Cross, plus and star markers are strokes only: they need the stroke colour.
            var line = new LineSeries { Title = region.Key, Color = color, MarkerType = marker, MarkerFill = color, MarkerStroke = color, MarkerSize = 3.5 };
            line.Points.AddRange(region.OrderBy(p => p.Round).Select(p => new DataPoint(p.Round, p.Value)));
            model.Series.Add(line);
        }
        var mean = new LineSeries { Title = "mean", StrokeThickness = 3, Color = OxyColors.Black };
        mean.Points.AddRange(points.GroupBy(p => p.Round).OrderBy(g => g.Key).Select(g => new DataPoint(g.Key, g.Average(p => p.Value))));
        model.Series.Add(mean);
        return model;
    }

    /// <summary>
    /// A row's value of <paramref name="metric"/>, or null where it has none: an extra metric it did not report (AUC
    /// where undefined), accuracy of a regression or survival row, and accuracy on <c>fit</c> rows where it is 0 — the
    /// coordinator's value when a node reported no <c>train_accuracy</c>.
    /// </summary>
    public static double? Value(RegionMetrics m, string metric) => metric switch
    {
        WireNames.Metrics.Accuracy when !HeadlineMetric.HasAccuracy(m) || (m.Split == WireNames.Splits.Fit && m.Accuracy == 0) => null,
        WireNames.Metrics.Accuracy => m.Accuracy,
        WireNames.Metrics.Loss => m.Loss,
        _ => m.Extra.TryGetValue(metric, out var value) ? value : null,
    };

    /// <summary>The default title, e.g. "test accuracy per region".</summary>
    public static string Title(string metric, string split) => string.Create(CultureInfo.InvariantCulture, $"{split} {metric} per region");

    /// <summary>The default subtitle: the job, e.g. "job 3f2a…".</summary>
    public static string Subtitle(string jobId) => $"job {jobId}";
}
