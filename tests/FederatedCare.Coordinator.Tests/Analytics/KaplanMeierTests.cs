using FederatedCare.Federation.Core.Analytics;

namespace FederatedCare.Coordinator.Tests.Analytics;

public sealed class KaplanMeierTests
{
    private static readonly double[] Years = [.. Enumerable.Range(1, 10).Select(y => 365.25 * y)];

    private static SurvivalCounts Region(string file) => BreastCancerData.ExactCounts(BreastCancerData.Train(file));

    [Fact]
    public void Pooled_counts_of_the_four_regions_reproduce_R_survfit_at_whole_years()
    {
        var pooled = SurvivalCounts.Pool(BreastCancerData.Regions.Select(r => Region(r.File)));
        var summary = KaplanMeier.Fit(pooled).At(Years);
        var reference = BreastCancerData.Reference("km_pooled_train.csv");

        Assert.Equal(10, reference.Count);
        for (int i = 0; i < reference.Count; i++)
        {
            Assert.Equal(long.Parse(reference[i]["n_risk"]), summary[i].AtRisk);
            Assert.Equal(long.Parse(reference[i]["n_event"]), summary[i].Events);
            Assert.Equal(double.Parse(reference[i]["survival"]), summary[i].Survival, 1e-9);
            Assert.Equal(double.Parse(reference[i]["lower95"]), summary[i].Lower, 1e-9);
            Assert.Equal(double.Parse(reference[i]["upper95"]), summary[i].Upper, 1e-9);
        }
    }

    // reference.txt, "Kaplan-Meier per region" (R prints S rounded to 8 digits; summary(..., extend = TRUE)).
    [Theory]
    [InlineData("halland", new long[] { 609, 512, 349, 209 }, new[] { 0.8826087, 0.7420290, 0.5109961, 0.3481100 })]
    [InlineData("karolinska", new long[] { 771, 663, 473, 172 }, new[] { 0.9135071, 0.7855450, 0.5671774, 0.3987867 })]
    [InlineData("orebro", new long[] { 481, 366, 92, 0 }, new[] { 0.9130717, 0.7408438, 0.4932127, 0.3664876 })]
    [InlineData("sahlgrenska", new long[] { 777, 677, 434, 6 }, new[] { 0.9197363, 0.8115276, 0.6115582, 0.4548345 })]
    public void Each_region_alone_reproduces_R_survfit(string file, long[] atRisk, double[] survival)
    {
        var summary = KaplanMeier.Fit(Region(file)).At([365.25, 2 * 365.25, 5 * 365.25, 10 * 365.25]);
        Assert.Equal(atRisk, summary.Select(s => s.AtRisk));
        for (int i = 0; i < survival.Length; i++) Assert.Equal(survival[i], summary[i].Survival, 6e-8);
    }

    [Fact]
    public void Binned_counts_give_exactly_the_curve_of_the_times_rounded_up_to_their_bins_end()
    {
        const double month = 30.4375;
        var rows = BreastCancerData.Train("halland");
        var bins = rows.GroupBy(r => (long)Math.Floor(BreastCancerData.Number(r, "rfstime") / month)).OrderBy(g => g.Key).ToList();
        long remaining = rows.Count;
        var atRisk = new List<long>();
        foreach (var g in bins) { atRisk.Add(remaining); remaining -= g.Count(); }
        var binned = SurvivalCounts.FromBins(month, [.. bins.Select(g => g.Key)], atRisk,
            [.. bins.Select(g => (long)g.Count(r => r["rfs"] == "1"))], [.. bins.Select(g => (long)g.Count(r => r["rfs"] == "0"))]);
        var roundedUp = BreastCancerData.ExactCounts(rows, t => (Math.Floor(t / month) + 1) * month);

        Assert.Equal(roundedUp.Times, binned.Times);
        Assert.Equal(roundedUp.AtRisk, binned.AtRisk);
        Assert.Equal(KaplanMeier.Fit(roundedUp).Steps, KaplanMeier.Fit(binned).Steps);
        var yearly = KaplanMeier.Fit(binned).At(Years);
        Assert.Equal(KaplanMeier.Fit(roundedUp).At(Years), yearly);
        Assert.InRange(yearly[4].Survival - KaplanMeier.Fit(Region("halland")).At(Years)[4].Survival, -0.02, 0.02);
    }

    [Fact]
    public void Pooling_the_regions_counts_gives_the_counts_of_their_rows_together()
    {
        var pooled = SurvivalCounts.Pool(BreastCancerData.Regions.Select(r => Region(r.File)));
        var direct = BreastCancerData.ExactCounts(BreastCancerData.AllTrain);
        Assert.Equal(direct.Times, pooled.Times);
        Assert.Equal(direct.AtRisk, pooled.AtRisk);
        Assert.Equal(direct.Events, pooled.Events);
        Assert.Equal(direct.Censored, pooled.Censored);
        Assert.Equal(2934, pooled.Rows);
    }

    [Fact]
    public void Greenwood_variance_and_the_log_interval_follow_R_on_a_small_example()
    {
        // survfit(Surv(c(1, 2, 2, 3, 4), c(1, 1, 0, 1, 0)) ~ 1): S = 0.8, 0.6, 0.3; std.err √Σ d / (n (n − d)).
        var counts = SurvivalCounts.FromExact([1, 2, 3, 4], [1, 1, 1, 0], [0, 1, 0, 1]);
        var steps = KaplanMeier.Fit(counts).Steps;
        Assert.Equal([5L, 4, 2, 1], steps.Select(s => s.AtRisk));
        Assert.Equal(0.3, steps[2].Survival, 1e-15);
        double se = Math.Sqrt(1.0 / 20 + 1.0 / 12 + 1.0 / 2);
        Assert.Equal(se, steps[2].StandardError, 1e-15);
        Assert.Equal(0.3 * Math.Exp(-1.959963984540054 * se), steps[2].Lower, 1e-12);
        Assert.Equal(1.0, steps[2].Upper);
        Assert.Equal(steps[2].Survival, steps[3].Survival);
        var at = KaplanMeier.Fit(counts).At([0.5, 2, 10]);
        Assert.Equal(new KaplanMeierSummaryRow(0.5, 5, 0, 1, 0, 1, 1), at[0]);
        Assert.Equal((4L, 2L), (at[1].AtRisk, at[1].Events));
        Assert.Equal((0L, 1L), (at[2].AtRisk, at[2].Events));
        Assert.Equal(0.3, at[2].Survival, 1e-15);
    }

    [Fact]
    public void Everyone_at_risk_having_the_event_drops_S_to_zero_without_an_interval()
    {
        var steps = KaplanMeier.Fit(SurvivalCounts.FromExact([1, 2], [1, 2], [0, 0])).Steps;
        Assert.Equal(0, steps[1].Survival);
        Assert.True(double.IsPositiveInfinity(steps[1].StandardError));
        Assert.True(double.IsNaN(steps[1].Lower) && double.IsNaN(steps[1].Upper));
    }

    [Fact]
    public void Inconsistent_releases_are_refused_with_the_figure_named()
    {
        var e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.FromBins(30, [0, 2], [9, 7], [2, 3], [1, 3]));
        Assert.Equal("binned survival counts: bin 2 reports 7 at risk but the counts of it and the later bins add up to 6.", e.Message);
        e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.FromBins(30, [0, 2], [10, 6], [2, 3], [1, 3]));
        Assert.Contains("bin 0 reports 10 at risk but the counts of it and the later bins add up to 9", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.FromExact([5, 3], [1, 1], [0, 0]));
        Assert.Contains("time 3 at point 1 does not follow 5", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.FromExact([-1], [1], [0]));
        Assert.Contains("not a finite time ≥ 0", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.FromExact([1], [0], [0]));
        Assert.Contains("a point is not empty", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.FromBins(0, [], [], [], []));
        Assert.Contains("bin width 0", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidReleaseException>(() => SurvivalCounts.Pool([SurvivalCounts.FromExact([1], [1], [0]), SurvivalCounts.FromBins(30, [0], [1], [1], [0])]));
        Assert.Contains("cannot be pooled", e.Message, StringComparison.Ordinal);
    }
}
