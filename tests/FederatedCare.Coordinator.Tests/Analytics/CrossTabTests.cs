using FederatedCare.Federation.Core.Analytics;

namespace FederatedCare.Coordinator.Tests.Analytics;

public sealed class CrossTabTests
{
    private static CrossTabRelease Table(long?[][] cells, long?[] rows, long?[] columns, long? total) =>
        new(["2", "3"], ["0", "1"], [.. cells.Select(r => (IReadOnlyList<long?>)r)], rows, columns, total);

    [Fact]
    public void Pooled_cells_and_margins_are_sums_released_only_when_every_region_released_them()
    {
        // Halland's and Sahlgrenska's grade × hormon training rows with minimum cell count 10: Halland's 7 is suppressed.
        var halland = Table([[199, null], [457, 27]], [null, 484], [656, null], null);
        var sahlgrenska = Table([[165, 37], [486, 163]], [202, 649], [651, 200], 851);
        var pooled = CrossTab.Pool([("Halland", halland), ("Sahlgrenska", sahlgrenska)]);

        Assert.Equal(new long?[] { 364, null }, pooled.Cells[0]);
        Assert.Equal(new long?[] { 943, 190 }, pooled.Cells[1]);
        Assert.Equal(new long?[] { null, 1133 }, pooled.RowTotals);
        Assert.Equal(new long?[] { 1307, null }, pooled.ColumnTotals);
        Assert.Null(pooled.Total);
    }

    [Fact]
    public void A_margin_that_does_not_add_up_or_reveals_a_suppressed_cell_is_refused()
    {
        var e = Assert.Throws<InvalidReleaseException>(() => CrossTab.Pool([("Halland", Table([[199, null], [457, 27]], [206, 484], [656, null], null))]));
        Assert.Equal("region Halland: the total of 2 is 206 but its cells are not all released or do not add up to it.", e.Message);
        e = Assert.Throws<InvalidReleaseException>(() => CrossTab.Pool([("A", Table([[1, 2], [3, 4]], [3, 7], [4, 6], 11))]));
        Assert.Contains("the total is 11", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidReleaseException>(() => CrossTab.Pool([("A", Table([[1, 2], [3, 4]], [3, 7], [4, 6], 10)),
            ("B", new CrossTabRelease(["2", "3"], ["1", "0"], [[1, 2], [3, 4]], [3, 7], [4, 6], 10))]));
        Assert.Equal("region B cross-tabulates other levels than A.", e.Message);
    }
}
