namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// A cross-tabulation of two categorical columns (one region's release, or pooled), <c>null</c> = suppressed:
/// <c>Cells[r][c]</c> counts the rows with the r-th level of the first column and the c-th of the second (rows
/// missing either are not counted). A margin is released only when every cell it sums is, and the total only when
/// every cell is, so no released margin minus released cells gives a suppressed cell.
/// </summary>
/// <param name="RowLevels">The first column's levels.</param>
/// <param name="ColumnLevels">The second column's levels.</param>
/// <param name="Cells">Counts, one row per row level, one entry per column level.</param>
/// <param name="RowTotals">Per row level its total.</param>
/// <param name="ColumnTotals">Per column level its total.</param>
/// <param name="Total">All rows counted.</param>
public sealed record CrossTabRelease(IReadOnlyList<string> RowLevels, IReadOnlyList<string> ColumnLevels, IReadOnlyList<IReadOnlyList<long?>> Cells,
    IReadOnlyList<long?> RowTotals, IReadOnlyList<long?> ColumnTotals, long? Total)
{
    /// <summary>Checks the shape, that counts are ≥ 0 and that every released margin is the sum of its cells.</summary>
    /// <exception cref="InvalidReleaseException">It is not.</exception>
    public void Validate(string what)
    {
        if (Cells.Count != RowLevels.Count || Cells.Any(r => r.Count != ColumnLevels.Count) || RowTotals.Count != RowLevels.Count || ColumnTotals.Count != ColumnLevels.Count)
            throw new InvalidReleaseException($"{what}: the cross-tab is not {RowLevels.Count} × {ColumnLevels.Count} cells with their margins.");
        if (Cells.SelectMany(r => r).Concat(RowTotals).Concat(ColumnTotals).Append(Total).Any(c => c < 0))
            throw new InvalidReleaseException($"{what}: the cross-tab has a negative count.");
        for (int r = 0; r < RowLevels.Count; r++)
            if (RowTotals[r] is { } t && Sum(Cells[r]) != t)
                throw new InvalidReleaseException($"{what}: the total of {RowLevels[r]} is {t} but its cells are not all released or do not add up to it.");
        for (int c = 0; c < ColumnLevels.Count; c++)
            if (ColumnTotals[c] is { } t && Sum([.. Cells.Select(row => row[c])]) != t)
                throw new InvalidReleaseException($"{what}: the total of {ColumnLevels[c]} is {t} but its cells are not all released or do not add up to it.");
        if (Total is { } all && Sum([.. Cells.SelectMany(row => row)]) != all)
            throw new InvalidReleaseException($"{what}: the total is {all} but the cells are not all released or do not add up to it.");
    }

    /// <summary>The sum of counts, or <c>null</c> if any is suppressed.</summary>
    internal static long? Sum(IEnumerable<long?> counts)
    {
        long? total = 0;
        foreach (var c in counts) total = total is null || c is null ? null : checked(total + c);
        return total;
    }
}
