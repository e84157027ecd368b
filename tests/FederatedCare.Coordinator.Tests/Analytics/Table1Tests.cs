using FederatedCare.Federation.Core.Analytics;

namespace FederatedCare.Coordinator.Tests.Analytics;

public sealed class Table1Tests
{
    private static readonly string[] NumericColumns = ["age", "nodes", "pgr", "er"];
    private static readonly (string Name, string[] Levels)[] CategoricalColumns =
        [("size", ["<=20", "20-50", ">50"]), ("grade", ["1", "2", "3"]), ("meno", ["0", "1"]), ("hormon", ["0", "1"]), ("rfs", ["0", "1"])];

    private static Moments MomentsOf(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        return new Moments(xs.Count, mean, xs.Sum(x => (x - mean) * (x - mean)));
    }

    /// <summary>A region's release as its node would make it with minimum cell count 10 (these rows have no small cells).</summary>
    private static Table1Release Release(string file)
    {
        var rows = BreastCancerData.Train(file);
        return new Table1Release(rows.Count,
            [.. NumericColumns.Select(c => new NumericRelease(c, MomentsOf([.. rows.Select(r => BreastCancerData.Number(r, c))]), 0))],
            [.. CategoricalColumns.Select(c => new CategoryRelease(c.Name, [.. c.Levels.Select(l => new LevelCount(l, rows.Count(r => r[c.Name] == l)))], 0))]);
    }

    private static double StandardDeviation(IReadOnlyList<double> xs)
    {
        double mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
    }

    [Fact]
    public void Per_region_and_pooled_figures_equal_those_of_the_rows_themselves()
    {
        var regions = BreastCancerData.Regions.Select(r => (r.Region, Release(r.File))).ToList();
        var values = BreastCancerData.Regions.ToDictionary(r => r.Region,
            r => NumericColumns.ToDictionary(c => c, c => BreastCancerData.Train(r.File).Select(x => BreastCancerData.Number(x, c)).ToArray()));
        var protocol = new Table1QuantileProtocol(regions);
        while (!protocol.IsComplete)
            protocol.Answer(BreastCancerData.Regions.ToDictionary(r => r.Region, r => (IReadOnlyList<long>)protocol.Questions(r.Region)
                .Select(q => (long)values[r.Region][q.Variable].Count(x => x <= q.Threshold)).ToList()));
        Assert.InRange(protocol.Rounds, 1, 64);
        var table = Table1.Build(regions, protocol.Results()).ToDictionary(c => (c.Variable, c.Level, c.Statistic, c.Region));

        var scopes = BreastCancerData.Regions.Select(r => (r.Region, BreastCancerData.Train(r.File))).Append((Table1.AllRegions, BreastCancerData.AllTrain));
        int compared = 0;
        foreach (var (region, rows) in scopes)
        {
            Assert.Equal((double)rows.Count, table[(Table1.RowsVariable, "", Table1Statistics.N, region)].Value);
            foreach (var c in NumericColumns)
            {
                var xs = rows.Select(r => BreastCancerData.Number(r, c)).ToList();
                void Near(string statistic, double expected)
                {
                    double got = table[(c, "", statistic, region)].Value!.Value;
                    Assert.True(Math.Abs(got - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{region} {c} {statistic}: {got} vs {expected}");
                    compared++;
                }
                Near(Table1Statistics.Mean, xs.Average());
                Near(Table1Statistics.StandardDeviation, StandardDeviation(xs));
                Near(Table1Statistics.Median, QuantileSearchTests.Type7(xs, 0.5));
                Near(Table1Statistics.Q1, QuantileSearchTests.Type7(xs, 0.25));
                Near(Table1Statistics.Q3, QuantileSearchTests.Type7(xs, 0.75));
            }
            foreach (var (name, levels) in CategoricalColumns)
                foreach (var level in levels)
                    Assert.Equal((double)rows.Count(r => r[name] == level), table[(name, level, Table1Statistics.Count, region)].Value);
        }
        Assert.Equal(5 * 4 * 5, compared);
        Assert.DoesNotContain(table.Values, c => c.Level == Table1.MissingLevel);
    }

    [Fact]
    public void A_suppressed_cell_suppresses_the_pooled_figure_that_would_reveal_it_and_nothing_else()
    {
        var a = new Table1Release(40, [new NumericRelease("age", new Moments(40, 50, 400), 0)],
            [new CategoryRelease("grade", [new LevelCount("1", null), new LevelCount("2", null), new LevelCount("3", 30)], 0)]);
        var b = new Table1Release(null, [new NumericRelease("age", null, null)],
            [new CategoryRelease("grade", [new LevelCount("1", 0), new LevelCount("2", null), new LevelCount("3", null)], null)]);
        var quartiles = new Dictionary<(string, string), Quartiles> { [("age", "A")] = new(40, 50, 60) };
        var table = Table1.Build([("A", a), ("B", b)], quartiles).ToDictionary(c => (c.Variable, c.Level, c.Statistic, c.Region));

        Assert.Equal(40.0, table[("rows", "", "n", "A")].Value);
        Assert.True(table[("rows", "", "n", "B")].Suppressed);
        Assert.True(table[("rows", "", "n", "all")].Suppressed);
        Assert.Equal(50.0, table[("age", "", "mean", "A")].Value);
        Assert.Equal(Math.Sqrt(400.0 / 39), table[("age", "", "sd", "A")].Value);
        Assert.Equal(50.0, table[("age", "", "median", "A")].Value);
        Assert.True(table[("age", "", "mean", "all")].Suppressed);
        Assert.True(table[("age", "", "median", "all")].Suppressed);
        Assert.True(table[("age", "", "median", "B")].Suppressed);
        Assert.Equal(30.0, table[("grade", "3", "count", "A")].Value);
        Assert.True(table[("grade", "1", "count", "all")].Suppressed);
        Assert.True(table[("grade", "missing", "count", "B")].Suppressed);
        Assert.Equal(0.0, table[("grade", "missing", "count", "A")].Value);
    }

    [Fact]
    public void Regions_must_release_the_same_columns_and_levels()
    {
        var a = new Table1Release(40, [], [new CategoryRelease("grade", [new LevelCount("1", 40)], 0)]);
        var b = new Table1Release(40, [], [new CategoryRelease("grade", [new LevelCount("2", 40)], 0)]);
        var e = Assert.Throws<InvalidReleaseException>(() => Table1.Build([("A", a), ("B", b)], new Dictionary<(string, string), Quartiles>()));
        Assert.Equal("region B releases Table 1 columns grade [2] but A releases grade [1].", e.Message);
    }

    [Fact]
    public void The_protocol_leaves_out_a_region_whose_count_is_suppressed_and_the_pooled_search_with_it()
    {
        var a = new Table1Release(40, [new NumericRelease("age", new Moments(40, 50, 400), 0)], []);
        var b = new Table1Release(null, [new NumericRelease("age", null, null)], []);
        var protocol = new Table1QuantileProtocol([("A", a), ("B", b)]);
        Assert.Empty(protocol.Questions("B"));
        Assert.All(protocol.Questions("A"), q => Assert.False(q.Pooled));
        Assert.Equal(6, protocol.Questions("A").Count); // h = 9.75, 19.5, 29.25: order statistics 9, 10, 19, 20, 29, 30
    }

    [Fact]
    public void Chan_pooling_of_moments_equals_the_moments_of_all_values()
    {
        var random = new Random(7);
        var parts = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 10 + 37 * i).Select(_ => 1e6 + random.NextDouble()).ToList()).ToList();
        var pooled = Moments.Pool(parts.Select(MomentsOf));
        var all = parts.SelectMany(p => p).ToList();
        Assert.Equal(all.Count, pooled.Count);
        Assert.Equal(all.Average(), pooled.Mean, 1e-9);
        Assert.Equal(StandardDeviation(all), pooled.StandardDeviation, 1e-9);
    }
}
