namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// A region's cross-tabulation of two categorical columns (<c>null</c> = suppressed). Cells: rows with the r-th
/// level of the first column and the c-th of the second (rows missing either are not counted); a count between 1 and
/// the minimum cell count − 1 is suppressed, 0 is released as 0. Margins: a row or column total is released only
/// when every cell it sums is released, and the grand total only when every cell is; so no released margin less the
/// released cells of its line gives a suppressed cell, and the cells themselves stay exact.
/// </summary>
/// <param name="Cells">Counts, one row per level of the first column.</param>
/// <param name="RowTotals">Per level of the first column its total.</param>
/// <param name="ColumnTotals">Per level of the second column its total.</param>
/// <param name="Total">All rows counted.</param>
public sealed record CrossTabCounts(long?[][] Cells, long?[] RowTotals, long?[] ColumnTotals, long? Total)
{
    /// <summary>Cross-tabulates <paramref name="rows"/> by <paramref name="columns"/> (<c>null</c> = missing).</summary>
    /// <exception cref="ArgumentException">The columns differ in length or a value is not one of its column's levels.</exception>
    public static CrossTabCounts Of(IReadOnlyList<string?> rows, IReadOnlyList<string> rowLevels, IReadOnlyList<string?> columns,
        IReadOnlyList<string> columnLevels, int minCellCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCellCount, 1);
        if (rows.Count != columns.Count) throw new ArgumentException($"{rows.Count} values in the first column but {columns.Count} in the second.", nameof(columns));
        var counts = new long[rowLevels.Count, columnLevels.Count];
        for (int i = 0; i < rows.Count; i++)
            if (rows[i] is { } a && columns[i] is { } b)
                counts[LevelIndex(rowLevels, a, i), LevelIndex(columnLevels, b, i)]++;
        var cells = Enumerable.Range(0, rowLevels.Count)
            .Select(r => Enumerable.Range(0, columnLevels.Count).Select(c => SmallCellSuppression.Release(counts[r, c], minCellCount)).ToArray()).ToArray();
        return new CrossTabCounts(cells,
            [.. cells.Select(row => Sum(row))],
            [.. Enumerable.Range(0, columnLevels.Count).Select(c => Sum(cells.Select(row => row[c])))],
            Sum(cells.SelectMany(row => row)));
    }

    private static int LevelIndex(IReadOnlyList<string> levels, string value, int row)
    {
        for (int i = 0; i < levels.Count; i++)
            if (string.Equals(levels[i], value, StringComparison.Ordinal)) return i;
        // The message reaches the coordinator as the region's refusal: it names the row, never the cell's text.
        throw new ArgumentException($"row {row}: the value is not one of the levels [{string.Join(", ", levels)}].");
    }

    private static long? Sum(IEnumerable<long?> cells)
    {
        long? total = 0;
        foreach (var c in cells) total = total is null || c is null ? null : total + c;
        return total;
    }
}
