using FederatedCare.NodeAgent.Analysis;

namespace FederatedCare.NodeAgent.Tests.Analysis;

public sealed class SurvivalCountReleaseTests
{
    private static readonly double[] Times = [5, 3, 3, 40, 31, 3, 12, 61, 0, 5];
    private static readonly bool[] Events = [true, true, false, false, true, true, false, true, false, false];

    [Fact]
    public void Exact_mode_releases_events_and_censored_rows_per_distinct_time()
    {
        var counts = SurvivalCountRelease.Exact(Times, Events, minCellCount: 5, releaseExactEventTimes: true);
        Assert.Equal(
            new ExactTimeCount[] { new(0, 0, 1), new(3, 2, 1), new(5, 1, 1), new(12, 0, 1), new(31, 1, 0), new(40, 0, 1), new(61, 1, 0) },
            counts);
    }

    [Fact]
    public void Exact_mode_is_refused_unless_the_node_allows_exact_event_times()
    {
        var e = Assert.Throws<AnalysisRefusedException>(() => SurvivalCountRelease.Exact(Times, Events, 5, releaseExactEventTimes: false));
        Assert.Contains("ReleaseExactEventTimes is false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binned_mode_releases_per_bin_the_rows_at_risk_at_its_start_and_no_time()
    {
        var counts = SurvivalCountRelease.Binned(Times, Events, binWidth: 30, minCellCount: 5);
        Assert.Equal(new BinCount[] { new(0, 10, 3, 4), new(1, 3, 1, 1), new(2, 1, 1, 0) }, counts);
    }

    [Fact]
    public void A_region_with_fewer_rows_or_events_than_its_minimum_cell_count_releases_nothing()
    {
        var e = Assert.Throws<AnalysisRefusedException>(() => SurvivalCountRelease.Binned(Times, Events, 30, minCellCount: 11));
        Assert.Equal("this region has 10 rows, fewer than its minimum cell count 11: it releases no survival counts.", e.Message);
        Assert.Throws<AnalysisRefusedException>(() => SurvivalCountRelease.Exact([], [], 1, true));
        e = Assert.Throws<AnalysisRefusedException>(() => SurvivalCountRelease.Exact(Times, Events, minCellCount: 6, true));
        Assert.Equal("only 5 events among the 10 rows, fewer than the minimum cell count 6: this region releases no survival counts.", e.Message);
    }

    [Fact]
    public void Negative_or_missing_times_and_bad_bin_widths_are_errors()
    {
        // The message may reach the coordinator as a refusal: it names the row, never the time.
        var negative = Assert.Throws<ArgumentException>(() => SurvivalCountRelease.Exact([1, -2], [true, true], 1, true)).Message;
        Assert.StartsWith("row 1: the time is not a finite number of days", negative, StringComparison.Ordinal);
        Assert.DoesNotContain("-2", negative, StringComparison.Ordinal);
        Assert.StartsWith("row 0: the time is not a finite number", Assert.Throws<ArgumentException>(() => SurvivalCountRelease.Binned([double.NaN], [true], 1, 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SurvivalCountRelease.Binned([1], [true], 0, 1));
        Assert.Throws<ArgumentException>(() => SurvivalCountRelease.Binned([1e300], [true], 1e-300, 1));
        Assert.Throws<ArgumentException>(() => SurvivalCountRelease.Exact([1, 2], [true], 1, true));
    }
}
