using FederatedCare.NodeAgent.Analysis;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Tests.Analysis;

/// <summary>The node handlers of Kaplan–Meier/log-rank and cross-tabs on a region's prepared analysis data.</summary>
public sealed class SurvivalHandlersTests
{
    private static readonly Lazy<AnalysisData> Halland = new(() => SurvivalData.Prepare("halland"));

    private static AnalysisContext Context(AnalysisTask analysis, bool exact) =>
        new(new NodeTask { JobId = "km", Schema = SurvivalData.Spec.Schema, Analysis = analysis }, Halland.Value, MinCellCount: 10, ReleaseExactEventTimes: exact);

    [Fact]
    public void Binned_counts_carry_no_time_and_exact_counts_need_the_nodes_permission()
    {
        var handler = new SurvivalCountsHandler();
        var binned = handler.Answer(Context(new AnalysisTask { SurvivalCounts = new SurvivalCountsRequest { BinWidth = 30.4375 } }, exact: false)).SurvivalCounts;
        Assert.Empty(binned.Times);
        Assert.Equal(690, binned.AtRisk[0]);
        Assert.Equal(482, binned.Events.Sum());
        Assert.Throws<AnalysisRefusedException>(() => handler.Answer(Context(new AnalysisTask { SurvivalCounts = new SurvivalCountsRequest() }, exact: false)));
        var exact = handler.Answer(Context(new AnalysisTask { SurvivalCounts = new SurvivalCountsRequest() }, exact: true)).SurvivalCounts;
        Assert.Empty(exact.Bins);
        Assert.Equal(690, exact.Events.Sum() + exact.Censored.Sum());
    }

    [Fact]
    public void A_cross_tab_of_numeric_columns_counts_by_the_jobs_levels_and_withholds_small_cells()
    {
        var spec = new CrossTabSpec { Rows = "grade", RowLevels = { "1", "2", "3" }, Columns = "hormon", ColumnLevels = { "0", "1" } };
        var answer = new CrossTabHandler().Answer(Context(new AnalysisTask { Crosstab = new CrossTabRequest { Spec = spec } }, exact: false)).Crosstab;
        Assert.Equal(new long[] { 0, 0, 199, 0, 457, 27 }, answer.Cells.Select(c => c.Value));
        Assert.Equal(new[] { false, false, false, true, false, false }, answer.Cells.Select(c => c.Suppressed));
        Assert.True(answer.Total.Suppressed);
        var events = new CrossTabHandler().Answer(Context(new AnalysisTask { Crosstab = new CrossTabRequest { Spec = new CrossTabSpec { Rows = "size", Columns = "rfs" } } }, false)).Crosstab;
        Assert.Equal(690, events.Total.Value);
    }
}
