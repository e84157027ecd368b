using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using OxyPlot.Series;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>The per-round metric chart researchers get from <c>fedcare plot</c> and the demo's accuracy.svg.</summary>
public sealed class MetricsChartTests
{
    private static RegionMetrics Row(string region, int round, double accuracy, double? auc = null, string split = "test")
    {
        var m = new RegionMetrics { Region = region, Round = round, Split = split, Accuracy = accuracy, Loss = 1 - accuracy, NumExamples = 10 };
        if (auc is { } a) m.Extra["auc"] = a;
        return m;
    }

    private static readonly RegionMetrics[] Rows =
    [
        Row("Örebro", 0, 0.50, 0.6), Row("Halland", 0, 0.60), Row("Örebro", 1, 0.70, 0.8), Row("Halland", 1, 0.80),
        Row("Halland", 1, 0.99, split: "train"),
    ];

    [Fact]
    public void One_line_per_region_in_name_order_and_their_unweighted_mean()
    {
        var chart = MetricsChart.Create("t", Rows, "accuracy", "test");
        var lines = chart.Series.Cast<LineSeries>().ToList();
        Assert.Equal(["Halland", "Örebro", "mean"], lines.Select(l => l.Title));
        Assert.Equal([0.60, 0.80], lines[0].Points.Select(p => p.Y)); // the train row is not plotted
        Assert.Equal([0.55, 0.75], lines[2].Points.Select(p => Math.Round(p.Y, 10)));
        Assert.Equal([0.0, 1.0], lines[2].Points.Select(p => p.X));
    }

    [Fact]
    public void Regions_without_AUC_are_left_out_of_its_chart()
    {
        var lines = MetricsChart.Create("t", Rows, "auc", "test").Series.Cast<LineSeries>().ToList();
        Assert.Equal(["Örebro", "mean"], lines.Select(l => l.Title));
        Assert.Equal([0.6, 0.8], lines[1].Points.Select(p => Math.Round(p.Y, 10)));
    }

    [Fact]
    public void No_values_and_unknown_metrics_are_refused_with_a_reason()
    {
        var none = Assert.Throws<InvalidDataException>(() => MetricsChart.Create("t", Rows, "accuracy", "validation"));
        Assert.Contains("no accuracy values on 'validation' rows", none.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => MetricsChart.Create("t", Rows, "precision", "test"));
        Assert.Contains("Unknown metric 'precision'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_SVG_names_every_region_and_the_axes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chart-{Guid.NewGuid():N}.svg");
        try
        {
            MetricsChart.WriteSvg(MetricsChart.Create("Job j: test accuracy per region", Rows, "accuracy", "test"), path);
            var svg = File.ReadAllText(path);
            Assert.StartsWith("<?xml", svg.TrimStart('\uFEFF'), StringComparison.Ordinal);
            foreach (var text in new[] { "Halland", "Örebro", "mean", "round", "test accuracy", "Job j: test accuracy per region" })
                Assert.Contains($">{text}</text>", svg, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_rows_chart_their_loss_but_refuse_accuracy_the_nodes_did_not_report()
    {
        RegionMetrics[] fit = [Row("Halland", 1, 0, split: "fit"), Row("Halland", 2, 0, split: "fit")];
        fit[1].Loss = 0.5;
        Assert.Equal([1.0, 0.5], MetricsChart.Create("t", fit, "loss", "fit").Series.Cast<LineSeries>().First().Points.Select(p => p.Y));
        var refused = Assert.Throws<InvalidDataException>(() => MetricsChart.Create("t", fit, "accuracy", "fit"));
        Assert.Contains("report no accuracy of their local training", refused.Message, StringComparison.Ordinal);
        Assert.Null(MetricsChart.Value(fit[0], "accuracy"));
        Assert.Equal(0, MetricsChart.Value(Row("Halland", 1, 0), "accuracy"));
    }
}
