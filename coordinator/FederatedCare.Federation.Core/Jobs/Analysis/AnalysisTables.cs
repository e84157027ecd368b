using System.Globalization;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Builds the tables of an <see cref="AnalysisResult"/>: numbers in invariant culture with round-trip precision
/// (<c>R</c>), so a table read back gives the stored doubles exactly; an absent value is an empty cell.
/// </summary>
public static class AnalysisTables
{
    /// <summary>A table called <paramref name="name"/> with <paramref name="columns"/> and <paramref name="rows"/> (each as many cells as columns).</summary>
    /// <exception cref="ArgumentException">A row has a different number of cells than there are columns.</exception>
    public static AnalysisTable Table(string name, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new AnalysisTable { Name = name };
        table.Columns.AddRange(columns);
        foreach (var row in rows)
        {
            if (row.Count != columns.Count) throw new ArgumentException($"table {name}: a row has {row.Count} cells for {columns.Count} columns.");
            var r = new AnalysisRow();
            r.Cells.AddRange(row);
            table.Rows.Add(r);
        }
        return table;
    }

    /// <summary>A number, round-trip.</summary>
    public static string Cell(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A count.</summary>
    public static string Cell(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number, or an empty cell for null.</summary>
    public static string Cell(double? value) => value is { } v ? Cell(v) : "";
}
