namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// A column of the data file that assigns each row to training or testing (<c>DatasetOptions.SplitColumn</c>, e.g.
/// <c>split</c> holding <c>train</c>/<c>test</c>): the region's own fixed split, used instead of a split file or the
/// node's seeded split. The column is then not a feature.
/// </summary>
public static class SplitColumn
{
    /// <summary>Per data row of <paramref name="table"/>, whether it is a training row.</summary>
    /// <exception cref="DataFileException">The column is missing, or a cell is neither <c>train</c> nor <c>test</c> (case-insensitive).</exception>
    public static IReadOnlyList<bool> Read(RawTable table, string column)
    {
        int at = -1;
        for (int i = 0; i < table.Columns.Count; i++) if (table.Columns[i] == column) at = i;
        if (at < 0)
            throw new DataFileException(table.Path, null, $"the SplitColumn is missing (the file has: {string.Join(", ", table.Columns)}).", $"column '{column}'");
        var train = new bool[table.Rows.Count];
        for (int r = 0; r < train.Length; r++)
        {
            var cell = table.Rows[r][at]?.Trim();
            if (string.Equals(cell, Protos.V1.WireNames.Splits.Train, StringComparison.OrdinalIgnoreCase)) train[r] = true;
            else if (!string.Equals(cell, Protos.V1.WireNames.Splits.Test, StringComparison.OrdinalIgnoreCase))
                throw new DataFileException(table.Path, table.Lines[r], $"'{cell}' is neither train nor test.", $"column '{column}' (SplitColumn)",
                    outside: "neither train nor test.");
        }
        return train;
    }
}
