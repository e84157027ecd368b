using System.Globalization;
using FederatedCare.NodeAgent.Options;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// Applies a region's <see cref="MappingOptions"/> to a table as read: renames columns, recodes texts, multiplies by
/// a unit factor and cuts numbers into levels, cell by cell, so that the result reads as if the region had exported
/// the job's columns and codes. Missing cells stay missing. A changed number is written back in the file's own
/// number format (round-trip exact), so the schema later parses the same value.
/// </summary>
public static class ColumnMapper
{
    /// <summary>The mapped table (<paramref name="table"/> itself when nothing is mapped).</summary>
    /// <exception cref="DataFileException">A mapped column is not in the file, a renamed column clashes with another,
    /// a value has no mapping (and is not to be kept), or a factored or cut value is not a number. Messages name the
    /// file, the column (the file's name) and the line.</exception>
    public static RawTable Apply(RawTable table, MappingOptions? mapping)
    {
        if (mapping is null || mapping.IsEmpty) return table;
        var path = table.Path;
        var columns = table.Columns.ToArray();
        var maps = new ColumnMappingOptions?[columns.Length];
        foreach (var (name, map) in mapping.Columns)
        {
            int at = Array.IndexOf(columns, name);
            if (at < 0)
                throw new DataFileException(path, null, $"the region's mapping names this column, but the file has no such column (the file has: {string.Join(", ", table.Columns)}).",
                    $"column '{name}'");
            maps[at] = map;
        }
        for (int i = 0; i < columns.Length; i++)
            if (maps[i] is { Rename.Length: > 0 } map) columns[i] = map.Rename;
        for (int i = 0; i < columns.Length; i++)
            for (int j = i + 1; j < columns.Length; j++)
                if (columns[i] == columns[j])
                    throw new DataFileException(path, null,
                        $"the region's mapping makes '{table.Columns[i]}' and '{table.Columns[j]}' both column '{columns[i]}'.", $"column '{table.Columns[i]}'");

        var rows = new List<string?[]>(table.Rows.Count);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var cells = (string?[])table.Rows[r].Clone();
            for (int i = 0; i < cells.Length; i++)
                if (maps[i] is { } map && cells[i] is { } cell)
                    cells[i] = MapCell(path, table.Lines[r], table.Columns[i], map, cell, table.Numbers);
            rows.Add(cells);
        }
        return table with { Columns = columns, Rows = rows };
    }

    private static string MapCell(string path, int line, string column, ColumnMappingOptions map, string cell, NumberFormatInfo numbers)
    {
        var field = $"column '{column}'";
        if (map.Values.Count > 0)
        {
            if (map.Values.TryGetValue(cell, out var to)) return to;
            if (map.KeepUnmappedValues) return cell;
            throw new DataFileException(path, line,
                $"'{cell}' has no mapping in the region's configuration (mapped: {string.Join(", ", map.Values.Keys.Order(StringComparer.Ordinal))}); add it to Values or set KeepUnmappedValues.", field,
                outside: "a value the region's mapping does not map.");
        }
        if (map.Factor == 1 && map.Cut is null) return cell;
        if (!double.TryParse(cell, NumberStyles.Float, numbers, out var value) || !double.IsFinite(value))
            throw new DataFileException(path, line, $"'{cell}' is not a number (decimal separator '{numbers.NumberDecimalSeparator}'), so it cannot be scaled or cut.", field,
                outside: "not a number, so the region's mapping cannot scale or cut it.");
        value *= map.Factor;
        return map.Cut is { } cut ? cut.Levels[Interval(cut, value)] : value.ToString("R", numbers);
    }

    // The index of the interval holding value = the number of cut points below it: strictly below when intervals are
    // right-closed (a value at a cut point belongs to the interval below), at or below when left-closed.
    private static int Interval(CutOptions cut, double value)
    {
        bool right = cut.Closed == CutOptions.Right;
        int i = 0;
        while (i < cut.Breaks.Count && (right ? value > cut.Breaks[i] : value >= cut.Breaks[i])) i++;
        return i;
    }
}
