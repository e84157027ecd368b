using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;

namespace FederatedCare.IntegrationTests.Cli;

public sealed class KaplanMeierChartTests
{
    [Fact]
    public void The_curves_table_gives_one_svg_per_region_beside_the_csv_files()
    {
        var table = new AnalysisTable { Name = KaplanMeierChart.CurvesTable, Columns = { "region", "time", "survival", "lower95", "upper95" } };
        foreach (var (region, time, s, lo, hi) in new[] { ("A", "100", "0.9", "0.8", "1"), ("A", "400", "0.5", "0.3", "0.7"), ("all", "100", "0.8", "", "") })
            table.Rows.Add(new AnalysisRow { Cells = { region, time, s, lo, hi } });
        var dir = RepositoryPaths.TempDirectory();
        try
        {
            var written = AnalysisCsv.WriteAll(dir, [new AnalysisResult { Step = 1, Kind = "km", Tables = { table } }]);
            Assert.Equal(["km_curves.csv", "km_a.svg", "km_all.svg"], written.Select(Path.GetFileName));
            var svg = System.Xml.Linq.XDocument.Load(Path.Combine(dir, "km_a.svg"));
            var texts = svg.Descendants("{http://www.w3.org/2000/svg}text").Select(t => t.Value.Trim()).ToList();
            // Every label is SVG text, the title drawn after the curves too (not outlines: see ChartStyle on dashes).
            foreach (var text in new[] { "Kaplan–Meier: A", "years", "S(t)", "survival", "lower 95%", "upper 95%" })
                Assert.Contains(text, texts);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
