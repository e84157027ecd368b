using FederatedCare.NodeAgent.Analysis;

namespace FederatedCare.NodeAgent.Tests.Analysis;

public sealed class QuantileResponderTests
{
    private static readonly double[] Ages = BreastCancerRows.Numbers(BreastCancerRows.Train("karolinska"), "age");

    private static QuantileResponder Responder(int minCellCount = 10) => new(new Dictionary<string, double[]> { ["age"] = Ages }, minCellCount);

    /// <summary>The coordinator's bisection for one order statistic (0-based rank), asked of this region alone.</summary>
    private static (double Value, int Steps) Bisect(QuantileResponder responder, int path, long rank)
    {
        ulong low = OrderedDoubleKey.Lowest, high = OrderedDoubleKey.Highest;
        int steps = 0;
        while (low != high)
        {
            ulong middle = OrderedDoubleKey.Middle(low, high);
            long count = responder.Answer([new ThresholdQuestion("age", false, path, Decode(middle))])[0];
            if (count >= rank + 1) high = middle;
            else low = middle + 1;
            steps++;
        }
        return (Decode(low), steps);
    }

    private static double Decode(ulong key) => BitConverter.Int64BitsToDouble((long)((key & (1UL << 63)) != 0 ? key & ~(1UL << 63) : ~key));

    [Fact]
    public void An_honest_bisection_is_answered_and_isolates_the_order_statistic_in_at_most_64_steps()
    {
        var responder = Responder();
        var sorted = Ages.Order().ToArray();
        var (median, steps) = Bisect(responder, 0, sorted.Length / 2);
        Assert.Equal(sorted[sorted.Length / 2], median);
        Assert.InRange(steps, 1, 64);
        Assert.Equal(sorted[0], Bisect(responder, 1, 0).Value);
    }

    [Fact]
    public void A_threshold_off_the_bisection_path_is_refused()
    {
        var responder = Responder();
        var e = Assert.Throws<AnalysisRefusedException>(() => responder.Answer([new ThresholdQuestion("age", true, 0, 50)]));
        Assert.Equal("'age' path 0: a new path must start in the middle of the finite doubles.", e.Message);
        responder.Answer([new ThresholdQuestion("age", true, 0, -0.0)]);
        e = Assert.Throws<AnalysisRefusedException>(() => responder.Answer([new ThresholdQuestion("age", true, 0, 50)]));
        Assert.Equal("'age' path 0: the threshold is not the next bisection step.", e.Message);
    }

    [Fact]
    public void A_search_may_not_open_more_paths_than_the_quartiles_need()
    {
        var responder = Responder();
        for (int path = 0; path < 6; path++) responder.Answer([new ThresholdQuestion("age", true, path, -0.0)]);
        responder.Answer([new ThresholdQuestion("age", false, 0, -0.0)]);
        var e = Assert.Throws<AnalysisRefusedException>(() => responder.Answer([new ThresholdQuestion("age", true, 6, -0.0)]));
        Assert.Equal("'age': more than 6 quantile paths in one search.", e.Message);
    }

    [Fact]
    public void A_column_whose_count_is_suppressed_or_unknown_gets_no_answer()
    {
        var small = new QuantileResponder(new Dictionary<string, double[]> { ["age"] = Ages[..4] }, minCellCount: 5);
        Assert.Throws<AnalysisRefusedException>(() => small.Answer([new ThresholdQuestion("age", false, 0, -0.0)]));
        Assert.Throws<AnalysisRefusedException>(() => Responder().Answer([new ThresholdQuestion("pgr", false, 0, -0.0)]));
    }

    [Fact]
    public void Keys_are_pinned_as_on_the_coordinator()
    {
        // Core's QuantileSearchTests pins the same keys: both sides must bisect the same space.
        Assert.Equal(0x8000_0000_0000_0000UL, OrderedDoubleKey.Of(0.0));
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Of(-0.0));
        Assert.Equal(0xBFF0_0000_0000_0000UL, OrderedDoubleKey.Of(1.0));
        Assert.Equal(0x400F_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Of(-1.0));
        Assert.Equal(0x0010_0000_0000_0000UL, OrderedDoubleKey.Lowest);
        Assert.Equal(0xFFEF_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Highest);
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, OrderedDoubleKey.Middle(OrderedDoubleKey.Lowest, OrderedDoubleKey.Highest));
    }
}
