namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// The node's small-cell rule. Primary: a count between 1 and the minimum cell count − 1 is not released (0 is
/// released as 0). Complementary, for the cells of a partition whose total is released (a column's levels and its
/// missing values, which add up to the region's rows): if exactly one cell is suppressed, the total minus the others
/// would give it, so the smallest other non-zero cell (the first such in order on a tie) is suppressed too.
/// </summary>
public static class SmallCellSuppression
{
    /// <summary>The count, or <c>null</c> when it is between 1 and <paramref name="minCellCount"/> − 1.</summary>
    public static long? Release(long count, int minCellCount) => count > 0 && count < minCellCount ? null : count;

    /// <summary>The cells of a partition with both rules applied (<c>null</c> = suppressed).</summary>
    /// <param name="cells">The counts (≥ 0) of cells that add up to a released total.</param>
    /// <param name="minCellCount">The node's minimum cell count (≥ 1).</param>
    public static long?[] Partition(IReadOnlyList<long> cells, int minCellCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCellCount, 1);
        var released = cells.Select(c => Release(c, minCellCount)).ToArray();
        if (released.Count(c => c is null) == 1)
        {
            int complement = -1;
            for (int i = 0; i < released.Length; i++)
                if (released[i] is > 0 && (complement < 0 || cells[i] < cells[complement])) complement = i;
            if (complement >= 0) released[complement] = null;
        }
        return released;
    }
}
