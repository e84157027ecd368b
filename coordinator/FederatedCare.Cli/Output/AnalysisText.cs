using System.Globalization;
using FederatedCare.Protos.V1;
using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Prints an analysis job's results: per step its summary line, then each of its tables, numbers to 6 significant
/// digits (the CSV files keep every digit).
/// </summary>
public static class AnalysisText
{
    /// <summary>Writes <paramref name="results"/> to the console.</summary>
    public static void Print(IEnumerable<AnalysisResult> results)
    {
        foreach (var result in results)
        {
            Console.WriteLine($"analysis {result.Step} ({result.Kind}): {result.Summary}");
            foreach (var t in result.Tables)
            {
                var table = new Table { Title = new TableTitle(Markup.Escape(t.Name)) };
                foreach (var column in t.Columns) table.AddColumn(Markup.Escape(column));
                foreach (var row in t.Rows) table.AddRow(row.Cells.Select(c => Markup.Escape(Short(c))).ToArray());
                AnsiConsole.Write(table);
            }
        }
    }

    private static string Short(string cell) =>
        cell.IndexOfAny(['.', 'E']) >= 0 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v.ToString("G6", CultureInfo.InvariantCulture) : cell;
}
