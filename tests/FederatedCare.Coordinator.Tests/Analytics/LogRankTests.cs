using FederatedCare.Federation.Core.Analytics;

namespace FederatedCare.Coordinator.Tests.Analytics;

public sealed class LogRankTests
{
    private static List<(string, SurvivalCounts)> Regions() =>
        [.. BreastCancerData.Regions.Select(r => (r.Region, BreastCancerData.ExactCounts(BreastCancerData.Train(r.File))))];

    [Fact]
    public void The_regions_training_counts_reproduce_R_survdiff()
    {
        var result = LogRankTest.Compute(Regions());
        var reference = BreastCancerData.Reference("logrank_regions_train.csv")[0];

        Assert.Equal(double.Parse(reference["chisq"]), result.ChiSquare, 1e-7);
        Assert.Equal(int.Parse(reference["df"]), result.DegreesOfFreedom);
        // reference.txt: N, Observed, (O-E)^2/E and (O-E)^2/V per region (Halland, Karolinska, Sahlgrenska, Örebro here).
        Assert.Equal([690L, 844, 851, 549], result.Rows);
        Assert.Equal([482L, 497, 391, 239], result.Observed);
        double[] oe2e = [4.751, 0.807, 8.455, 6.688], oe2v = [6.92, 1.21, 12.09, 7.95];
        for (int g = 0; g < 4; g++)
        {
            double d = result.Observed[g] - result.Expected[g];
            Assert.Equal(oe2e[g], Math.Round(d * d / result.Expected[g], 3));
            Assert.Equal(oe2v[g], Math.Round(d * d / result.Variance[g, g], 2));
        }
        Assert.InRange(result.PValue, 5e-5, 1.5e-4);
        Assert.Equal(result.Observed.Sum(), result.Expected.Sum(), 1e-9);
    }

    [Fact]
    public void The_statistic_does_not_depend_on_the_order_of_the_groups()
    {
        var regions = Regions();
        double forward = LogRankTest.Compute(regions).ChiSquare;
        regions.Reverse();
        Assert.Equal(forward, LogRankTest.Compute(regions).ChiSquare, 1e-9);
    }

    [Fact]
    public void Identical_groups_give_zero_and_a_p_value_of_one()
    {
        var counts = SurvivalCounts.FromExact([1, 2, 3, 5], [1, 2, 0, 1], [1, 0, 2, 1]);
        var result = LogRankTest.Compute([("a", counts), ("b", counts)]);
        Assert.Equal(0, result.ChiSquare, 1e-12);
        Assert.Equal(1, result.PValue, 1e-12);
        Assert.Equal(1, result.DegreesOfFreedom);
    }

    [Fact]
    public void Two_groups_match_the_textbook_two_sample_statistic()
    {
        // Group a: events at 1 and 3; group b: an event at 2, censored at 4. By hand: at t=1 n=(2,2) d=1, at t=2
        // n=(1,2) d=1, at t=3 n=(1,1) d=1: E_a = 1/2 + 1/3 + 1/2, V_aa = 1/4 + 2/9 + 1/4.
        var a = SurvivalCounts.FromExact([1, 3], [1, 1], [0, 0]);
        var b = SurvivalCounts.FromExact([2, 4], [1, 0], [0, 1]);
        var result = LogRankTest.Compute([("a", a), ("b", b)]);
        double e = 0.5 + 1.0 / 3 + 0.5, v = 0.25 + 2.0 / 9 + 0.25;
        Assert.Equal(e, result.Expected[0], 1e-15);
        Assert.Equal(v, result.Variance[0, 0], 1e-15);
        Assert.Equal(-v, result.Variance[0, 1], 1e-15);
        Assert.Equal((2 - e) * (2 - e) / v, result.ChiSquare, 1e-12);
    }

    [Fact]
    public void One_group_is_not_a_test()
    {
        var e = Assert.Throws<ArgumentException>(() => LogRankTest.Compute([("a", SurvivalCounts.FromExact([1], [1], [0]))]));
        Assert.StartsWith("the log-rank test needs at least two groups, not 1.", e.Message, StringComparison.Ordinal);
    }
}
