using FederatedCare.NodeAgent.Analysis;

namespace FederatedCare.NodeAgent.Tests.Analysis;

public sealed class Table1SummaryTests
{
    [Fact]
    public void Category_counts_follow_the_jobs_levels_and_release_zero_as_zero()
    {
        var rows = BreastCancerRows.Train("halland");
        var grade = CategorySummary.Of(BreastCancerRows.Cells(rows, "grade"), ["1", "2", "3"], minCellCount: 10);
        Assert.Equal(new long?[] { 0, 206, 484 }, grade.Counts);
        Assert.Equal(0L, grade.Missing);
    }

    [Fact]
    public void A_small_level_is_suppressed_with_a_complement_and_missing_cells_count_in_the_partition()
    {
        string?[] values = [.. Enumerable.Repeat("a", 30), .. Enumerable.Repeat("b", 3), .. Enumerable.Repeat("c", 12), null, null];
        var summary = CategorySummary.Of(values, ["a", "b", "c"], minCellCount: 5);
        Assert.Equal(new long?[] { 30, null, 12 }, summary.Counts);
        Assert.Null(summary.Missing);
        var e = Assert.Throws<ArgumentException>(() => CategorySummary.Of(["a", "x"], ["a", "b"], 5));
        Assert.Equal("row 1: the value is not one of the levels [a, b] (the cell's text stays in the region). (Parameter 'values')", e.Message);
    }

    [Fact]
    public void Numeric_moments_are_the_count_mean_and_sum_of_squared_deviations_of_the_present_values()
    {
        double[] values = [.. BreastCancerRows.Numbers(BreastCancerRows.Train("orebro"), "pgr"), double.NaN];
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        var summary = NumericSummary.Of(values, minCellCount: 1);
        Assert.Equal((long)present.Length, summary.Count);
        Assert.Equal(1L, summary.Missing);
        Assert.Equal(present.Average(), summary.Mean!.Value, 1e-9);
        Assert.Equal(present.Sum(v => (v - present.Average()) * (v - present.Average())), summary.SumOfSquaredDeviations!.Value, 1e-3);
    }

    [Fact]
    public void A_small_count_or_a_small_number_of_missing_cells_withholds_the_moments()
    {
        Assert.Equal(new NumericSummary(null, 0, null, null), NumericSummary.Of([1, 2, 3], minCellCount: 5));
        double[] mostlyPresent = [.. Enumerable.Range(0, 20).Select(i => (double)i), double.NaN, double.NaN];
        Assert.Equal(new NumericSummary(null, null, null, null), NumericSummary.Of(mostlyPresent, minCellCount: 5));
        Assert.Throws<ArgumentException>(() => NumericSummary.Of([double.PositiveInfinity], 1));
    }

    [Fact]
    public void Grade_by_hormon_in_Halland_suppresses_the_cell_of_7_and_every_margin_that_sums_it()
    {
        var rows = BreastCancerRows.Train("halland");
        var table = CrossTabCounts.Of(BreastCancerRows.Cells(rows, "grade"), ["1", "2", "3"], BreastCancerRows.Cells(rows, "hormon"), ["0", "1"], minCellCount: 10);
        Assert.Equal(new long?[] { 0, 0 }, table.Cells[0]);
        Assert.Equal(new long?[] { 199, null }, table.Cells[1]);
        Assert.Equal(new long?[] { 457, 27 }, table.Cells[2]);
        Assert.Equal(new long?[] { 0, null, 484 }, table.RowTotals);
        Assert.Equal(new long?[] { 656, null }, table.ColumnTotals);
        Assert.Null(table.Total);
    }

    [Fact]
    public void Rows_missing_either_value_are_not_cross_tabulated()
    {
        var table = CrossTabCounts.Of(["a", null, "b", "a"], ["a", "b"], ["x", "x", null, "y"], ["x", "y"], minCellCount: 1);
        Assert.Equal(new long?[] { 1, 1 }, table.Cells[0]);
        Assert.Equal(new long?[] { 0, 0 }, table.Cells[1]);
        Assert.Equal(2L, table.Total);
    }
}
