using System.Buffers.Binary;
using System.Xml.Linq;
using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using OxyPlot.Series;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>The per-round metric chart researchers get from <c>fedcare plot</c>, <c>fedcare report</c> and the demo's accuracy.svg.</summary>
public sealed class MetricsChartTests : IDisposable
{
    private readonly string _dir = RepositoryPaths.TempDirectory();

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
    public void The_SVG_names_every_region_and_the_axes_with_baselines_any_viewer_honours()
    {
        var path = Path.Combine(_dir, "chart.svg");

        ChartFile.Write(MetricsChart.Create("test accuracy per region", Rows, "accuracy", "test", "job j"), path);

        var svg = XDocument.Load(path);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = svg.Descendants(ns + "text").Select(t => t.Value.Trim()).ToList();
        foreach (var text in new[] { "Halland", "Örebro", "mean", "round", "test accuracy", "test accuracy per region", "job j" })
            Assert.Contains(text, texts);
        // rsvg-convert ignores dominant-baseline, which put every label of the old SVG a line off its place.
        Assert.DoesNotContain("dominant-baseline", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal("800", svg.Root!.Attribute("width")!.Value);
    }

    [Fact]
    public void A_png_chart_is_a_png_of_twice_the_chart_size()
    {
        var path = Path.Combine(_dir, "chart.png");

        ChartFile.Write(MetricsChart.Create("t", Rows, "accuracy", "test"), path);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal((1600, 1000), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
    }

    [Fact]
    public void The_legend_sits_outside_the_plot_area_and_holds_a_long_region_name_whole()
    {
        const string longName = "Västra Götalandsregionen universitetssjukhus";
        RegionMetrics[] rows = [.. Rows, Row(longName, 0, 0.4), Row(longName, 1, 0.45)];
        var chart = MetricsChart.Create("test accuracy per region", rows, "accuracy", "test", "job j");

        ChartFile.Write(chart, Path.Combine(_dir, "chart.svg"));

        var legend = chart.Legends.Single().LegendArea;
        Assert.True(legend.Left >= chart.PlotArea.Right, $"legend {legend} overlaps the plot area {chart.PlotArea}");
        Assert.True(legend.Right <= ChartStyle.Width, $"legend {legend} is cut at the chart's edge");
        Assert.True(chart.TitleArea.Top >= 0 && chart.TitleArea.Bottom <= chart.PlotArea.Top, $"title {chart.TitleArea}, plot {chart.PlotArea}");
        // Five series: one legend row each, every row a text line high (the swatch beside its own label).
        Assert.InRange(legend.Height, 5 * 12, 5 * 12 * 1.6 + 20);
    }

    [Fact]
    public void A_chart_file_is_png_or_svg_and_nothing_else()
    {
        Assert.Null(ChartFile.Problem("a/b.PNG"));
        Assert.Null(ChartFile.Problem("b.svg"));
        Assert.Equal("'x.pdf': a chart is written as .png or .svg; the file name's extension picks which", ChartFile.Problem("x.pdf"));
        Assert.Throws<ArgumentException>(() => ChartFile.Write(MetricsChart.Create("t", Rows, "accuracy", "test"), Path.Combine(_dir, "x")));
        Assert.False(File.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public async Task Plot_refuses_another_extension_with_one_line_and_exit_code_2_before_asking_the_coordinator()
    {
        var (exitCode, stdout, stderr) = await FedcareProcess.RunAsync("-c", "http://127.0.0.1:1", "plot", "j", "--out", "x.pdf");

        Assert.Equal(2, exitCode);
        Assert.Equal("'x.pdf': a chart is written as .png or .svg; the file name's extension picks which", stderr);
        Assert.Empty(stdout);
    }

    [Fact]
    public void Regression_rows_chart_rmse_mae_and_r2()
    {
        var rows = new[] { (1, 2.0, 1.5, 0.25), (2, 1.0, 0.75, 0.5) }.Select(r => new RegionMetrics
        {
            Region = "Halland", Round = r.Item1, Split = "test", NumExamples = 10, Loss = r.Item2 * r.Item2,
            Extra = { ["rmse"] = r.Item2, ["mae"] = r.Item3, ["r2"] = r.Item4 },
        }).ToList();

        foreach (var (metric, expected) in new[] { ("rmse", new[] { 2.0, 1.0 }), ("mae", [1.5, 0.75]), ("r2", [0.25, 0.5]) })
            Assert.Equal(expected, MetricsChart.Create("t", rows, metric, "test").Series.Cast<LineSeries>().First().Points.Select(p => p.Y));
        Assert.Throws<InvalidDataException>(() => MetricsChart.Create("t", rows, "accuracy", "test"));
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

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
