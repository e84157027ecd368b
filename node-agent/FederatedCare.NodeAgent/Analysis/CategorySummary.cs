namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// A region's Table 1 release for a categorical column: per level (the job's levels, in order) its count and the
/// count of missing cells, one partition of the region's rows suppressed by <see cref="SmallCellSuppression.Partition"/>
/// (<c>null</c> = suppressed).
/// </summary>
/// <param name="Counts">Per level its count.</param>
/// <param name="Missing">Missing cells.</param>
public sealed record CategorySummary(IReadOnlyList<long?> Counts, long? Missing)
{
    /// <summary>Counts <paramref name="values"/> (<c>null</c> = missing) by <paramref name="levels"/>.</summary>
    /// <exception cref="ArgumentException">A value is not one of the levels.</exception>
    public static CategorySummary Of(IReadOnlyList<string?> values, IReadOnlyList<string> levels, int minCellCount)
    {
        var index = levels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var cells = new long[levels.Count + 1];
        for (int r = 0; r < values.Count; r++)
        {
            if (values[r] is not { } v) { cells[^1]++; continue; }
            if (!index.TryGetValue(v, out int i))
                throw new ArgumentException($"row {r}: the value is not one of the levels [{string.Join(", ", levels)}] (the cell's text stays in the region).", nameof(values));
            cells[i]++;
        }
        var released = SmallCellSuppression.Partition(cells, minCellCount);
        return new CategorySummary(released[..^1], released[^1]);
    }
}
