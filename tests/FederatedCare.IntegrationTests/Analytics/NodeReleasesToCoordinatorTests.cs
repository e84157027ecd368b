using System.Globalization;
using FederatedCare.Federation.Core.Analytics;
using FederatedCare.NodeAgent.Analysis;

namespace FederatedCare.IntegrationTests.Analytics;

/// <summary>
/// The node's releases on each region's own training rows, combined by the coordinator's analytics, give R's
/// results and the pooled rows' statistics: the two halves fit together before any wire carries them.
/// </summary>
public sealed class NodeReleasesToCoordinatorTests
{
    private const int MinCellCount = 10;
    private static readonly (string File, string Region)[] Regions =
        [("halland", "Halland"), ("karolinska", "Karolinska"), ("sahlgrenska", "Sahlgrenska"), ("orebro", "Örebro")];
    private static readonly string[] Numeric = ["age", "nodes", "pgr", "er"];
    private static readonly (string Name, string[] Levels)[] Categorical =
        [("size", ["<=20", "20-50", ">50"]), ("grade", ["1", "2", "3"]), ("meno", ["0", "1"]), ("hormon", ["0", "1"]), ("rfs", ["0", "1"])];

    private static string DataDirectory => Path.Combine(RepositoryPaths.Root, "data", "breast-cancer-survival");

    private static List<Dictionary<string, string>> Train(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(DataDirectory, file + ".csv"));
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(x => x.First, x => x.Second)).Where(r => r["split"] == "train")];
    }

    private static double[] Numbers(List<Dictionary<string, string>> rows, string column) => [.. rows.Select(r => double.Parse(r[column], CultureInfo.InvariantCulture))];

    private static double Type7(IEnumerable<double> values, double p)
    {
        var xs = values.Order().ToArray();
        double h = (xs.Length - 1) * p;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, xs.Length - 1);
        return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
    }

    [Fact]
    public void Exact_releases_pooled_by_the_coordinator_reproduce_R_survfit_and_survdiff()
    {
        var counts = Regions.Select(r =>
        {
            var rows = Train(r.File);
            var release = SurvivalCountRelease.Exact(Numbers(rows, "rfstime"), [.. rows.Select(x => x["rfs"] == "1")], MinCellCount, releaseExactEventTimes: true);
            return (r.Region, SurvivalCounts.FromExact([.. release.Select(c => c.Time)], [.. release.Select(c => c.Events)], [.. release.Select(c => c.Censored)]));
        }).ToList();
        var summary = KaplanMeier.Fit(SurvivalCounts.Pool(counts.Select(c => c.Item2))).At([.. Enumerable.Range(1, 10).Select(y => 365.25 * y)]);
        var reference = File.ReadAllLines(Path.Combine(DataDirectory, "reference", "km_pooled_train.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(long.Parse(reference[i][1], CultureInfo.InvariantCulture), summary[i].AtRisk);
            Assert.Equal(double.Parse(reference[i][3], CultureInfo.InvariantCulture), summary[i].Survival, 1e-9);
            Assert.Equal(double.Parse(reference[i][4], CultureInfo.InvariantCulture), summary[i].Lower, 1e-9);
            Assert.Equal(double.Parse(reference[i][5], CultureInfo.InvariantCulture), summary[i].Upper, 1e-9);
        }
        var logRank = LogRankTest.Compute(counts);
        Assert.Equal(21.17688377, logRank.ChiSquare, 1e-7);
        Assert.Equal(3, logRank.DegreesOfFreedom);
    }

    [Fact]
    public void Binned_releases_are_accepted_by_the_coordinator_and_pool()
    {
        var counts = Regions.Select(r =>
        {
            var rows = Train(r.File);
            var release = SurvivalCountRelease.Binned(Numbers(rows, "rfstime"), [.. rows.Select(x => x["rfs"] == "1")], 30.4375, MinCellCount);
            return SurvivalCounts.FromBins(30.4375, [.. release.Select(b => b.Bin)], [.. release.Select(b => b.AtRisk)], [.. release.Select(b => b.Events)],
                [.. release.Select(b => b.Censored)]);
        }).ToList();
        var pooled = SurvivalCounts.Pool(counts);
        Assert.Equal(2934, pooled.Rows);
        var year5 = KaplanMeier.Fit(pooled).At([5 * 365.25])[0];
        Assert.InRange(year5.Survival, 0.555488361533 - 0.01, 0.555488361533 + 0.01);
    }

    [Fact]
    public void Table1_from_the_nodes_summaries_and_the_counting_protocol_equals_the_pooled_rows()
    {
        var data = Regions.ToDictionary(r => r.Region, r => Train(r.File));
        var releases = Regions.Select(r =>
        {
            var rows = data[r.Region];
            var numeric = Numeric.Select(c => (c, NumericSummary.Of(Numbers(rows, c), MinCellCount)))
                .Select(x => new NumericRelease(x.c, x.Item2.Count is { } n ? new Moments(n, x.Item2.Mean ?? 0, x.Item2.SumOfSquaredDeviations ?? 0) : null, x.Item2.Missing));
            var categorical = Categorical.Select(c => (c, CategorySummary.Of([.. rows.Select(x => (string?)x[c.Name])], c.Levels, MinCellCount)))
                .Select(x => new CategoryRelease(x.c.Name, [.. x.c.Levels.Select((l, i) => new LevelCount(l, x.Item2.Counts[i]))], x.Item2.Missing));
            return (r.Region, new Table1Release(SmallCellSuppression.Release(rows.Count, MinCellCount), [.. numeric], [.. categorical]));
        }).ToList();
        var responders = Regions.ToDictionary(r => r.Region, r => new QuantileResponder(Numeric.ToDictionary(c => c, c => Numbers(data[r.Region], c)), MinCellCount));
        var protocol = new Table1QuantileProtocol(releases);
        while (!protocol.IsComplete)
            protocol.Answer(Regions.ToDictionary(r => r.Region, r => (IReadOnlyList<long>)responders[r.Region].Answer(
                [.. protocol.Questions(r.Region).Select(q => new ThresholdQuestion(q.Variable, q.Pooled, q.Path, q.Threshold))])));
        Assert.InRange(protocol.Rounds, 1, 64);
        var table = Table1.Build(releases, protocol.Results()).ToDictionary(c => (c.Variable, c.Level, c.Statistic, c.Region));

        foreach (var (region, rows) in data.Select(d => (d.Key, d.Value)).Append((Table1.AllRegions, data.Values.SelectMany(v => v).ToList())))
        {
            Assert.Equal((double)rows.Count, table[("rows", "", "n", region)].Value);
            foreach (var c in Numeric)
            {
                var xs = Numbers(rows, c);
                double mean = xs.Average(), sd = Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1));
                foreach (var (statistic, expected) in new[] { ("mean", mean), ("sd", sd), ("median", Type7(xs, 0.5)), ("q1", Type7(xs, 0.25)), ("q3", Type7(xs, 0.75)) })
                    Assert.True(Math.Abs(table[(c, "", statistic, region)].Value!.Value - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{region} {c} {statistic}");
            }
            foreach (var (name, levels) in Categorical)
                foreach (var level in levels)
                    Assert.Equal((double)rows.Count(r => r[name] == level), table[(name, level, "count", region)].Value);
        }
    }

    [Fact]
    public void Cross_tabs_keep_cells_of_10_or_more_exact_and_suppress_the_others_through_pooling()
    {
        var releases = Regions.Select(r =>
        {
            var rows = Train(r.File);
            var t = CrossTabCounts.Of([.. rows.Select(x => (string?)x["grade"])], ["1", "2", "3"], [.. rows.Select(x => (string?)x["hormon"])], ["0", "1"], MinCellCount);
            return (r.Region, new CrossTabRelease(["1", "2", "3"], ["0", "1"], [.. t.Cells.Select(c => (IReadOnlyList<long?>)c)], t.RowTotals, t.ColumnTotals, t.Total));
        }).ToList();
        var pooled = CrossTab.Pool(releases);
        foreach (var (region, release) in releases)
        {
            var rows = Train(Regions.Single(r => r.Region == region).File);
            for (int g = 0; g < 3; g++)
                for (int h = 0; h < 2; h++)
                {
                    long n = rows.Count(r => r["grade"] == (g + 1).ToString(CultureInfo.InvariantCulture) && r["hormon"] == h.ToString(CultureInfo.InvariantCulture));
                    Assert.Equal(n is > 0 and < MinCellCount ? null : n, release.Cells[g][h]);
                }
        }
        Assert.Null(pooled.Cells[1][1]); // Halland's and Karolinska's 7 are in it
        Assert.Equal(38L + 0 + 0 + 0, pooled.Cells[0][0]);
    }
}
