using FederatedCare.Federation.Core.Analytics;

namespace FederatedCare.Coordinator.Tests.Analytics;

public sealed class QuantileSearchTests
{
    /// <summary>numpy's default (R type 7) on the values themselves: the oracle.</summary>
    internal static double Type7(IEnumerable<double> values, double p)
    {
        var xs = values.Order().ToArray();
        double h = (xs.Length - 1) * p;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, xs.Length - 1);
        return xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
    }

    private static (double[] Values, int Rounds) Search(double[][] regions, double[] probabilities)
    {
        var search = new QuantileSearch(regions.Sum(r => r.Length), probabilities);
        while (!search.IsComplete)
            search.Advance([.. search.Probes().Select(p => regions.Sum(r => (long)r.Count(v => v <= p.Threshold)))]);
        return ([.. probabilities.Select(search.Quantile)], search.Rounds);
    }

    [Fact]
    public void Counting_below_thresholds_finds_the_pooled_rows_type_7_quantiles_of_every_numeric_column()
    {
        foreach (var column in new[] { "age", "nodes", "pgr", "er", "rfstime" })
        {
            var regions = BreastCancerData.Regions.Select(r => BreastCancerData.Train(r.File).Select(x => BreastCancerData.Number(x, column)).ToArray()).ToArray();
            double[] p = [0.25, 0.5, 0.75];
            var (found, rounds) = Search(regions, p);
            for (int i = 0; i < p.Length; i++) Assert.Equal(Type7(regions.SelectMany(r => r), p[i]), found[i]);
            Assert.InRange(rounds, 1, 64);
        }
    }

    [Fact]
    public void Ties_negatives_zeros_extremes_and_the_end_probabilities_are_exact()
    {
        var random = new Random(20261201);
        double[][] shapes =
        [
            [-0.0, 0.0, 0.0, -3.5, 7, 7, 7, 1e300, -1e300, double.Epsilon],
            [.. Enumerable.Range(0, 101).Select(_ => Math.Round(random.NextDouble() * 10) - 5)],
            [.. Enumerable.Range(0, 57).Select(_ => random.NextDouble() * 1e-8)],
            [42],
        ];
        double[] p = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
        foreach (var values in shapes)
        {
            var halves = new[] { values[..(values.Length / 2)], values[(values.Length / 2)..] };
            var (found, rounds) = Search(halves, p);
            for (int i = 0; i < p.Length; i++) Assert.Equal(Type7(values, p[i]) + 0.0, found[i]);
            Assert.True(rounds <= 64, $"{rounds} rounds");
        }
    }

    [Fact]
    public void The_first_probe_is_the_middle_of_the_finite_doubles_and_the_keys_are_pinned()
    {
        // The node side maps alike (NodeAgent.Tests' OrderedDoubleKeyTests pins the same keys).
        Assert.Equal(0x8000_0000_0000_0000UL, OrderedDoubleKey.Of(0.0));
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Of(-0.0));
        Assert.Equal(0xBFF0_0000_0000_0000UL, OrderedDoubleKey.Of(1.0));
        Assert.Equal(0x400F_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Of(-1.0));
        Assert.Equal(0x0010_0000_0000_0000UL, OrderedDoubleKey.Lowest);
        Assert.Equal(0xFFEF_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Highest);
        Assert.Equal(-1.5, OrderedDoubleKey.ToDouble(OrderedDoubleKey.Of(-1.5)));
        // The middle key of the finite doubles is −0's: the first question is "how many values are negative?".
        var probe = Assert.Single(new QuantileSearch(5, [0.5]).Probes());
        Assert.Equal(0, probe.Path);
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Of(probe.Threshold));
    }

    [Fact]
    public void Answers_that_cannot_be_counts_are_refused()
    {
        var search = new QuantileSearch(3, [0.5]);
        Assert.Throws<InvalidReleaseException>(() => search.Advance([4]));
        Assert.Throws<InvalidReleaseException>(() => search.Advance([1, 1]));
        Assert.Throws<InvalidOperationException>(() => search.Quantile(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSearch(0, [0.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantileSearch(3, [1.5]));
    }
}
