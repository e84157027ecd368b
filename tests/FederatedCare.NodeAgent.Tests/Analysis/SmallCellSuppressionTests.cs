using FederatedCare.NodeAgent.Analysis;

namespace FederatedCare.NodeAgent.Tests.Analysis;

public sealed class SmallCellSuppressionTests
{
    [Theory]
    [InlineData(0, 0L)]
    [InlineData(1, null)]
    [InlineData(9, null)]
    [InlineData(10, 10L)]
    [InlineData(500, 500L)]
    public void Counts_from_1_to_the_minimum_less_one_are_not_released(long count, long? released) =>
        Assert.Equal(released, SmallCellSuppression.Release(count, 10));

    [Fact]
    public void A_lone_suppressed_cell_of_a_partition_takes_the_smallest_other_nonzero_cell_with_it()
    {
        Assert.Equal(new long?[] { null, null, 60 }, SmallCellSuppression.Partition([3, 40, 60], 10));
        Assert.Equal(new long?[] { 0, null, null, 70 }, SmallCellSuppression.Partition([0, 3, 50, 70], 10));
    }

    [Fact]
    public void Two_or_more_suppressed_cells_or_none_need_no_complement()
    {
        Assert.Equal(new long?[] { null, null, 60 }, SmallCellSuppression.Partition([3, 4, 60], 10));
        Assert.Equal(new long?[] { 0, 40, 60 }, SmallCellSuppression.Partition([0, 40, 60], 10));
        Assert.Equal(new long?[] { 1, 2 }, SmallCellSuppression.Partition([1, 2], 1));
    }
}
