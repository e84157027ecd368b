using FederatedCare.Protos.V1;
using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>Prints an analysis job's results: per step its summary line, then each of its tables.</summary>
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
                foreach (var row in t.Rows) table.AddRow(row.Cells.Select(Markup.Escape).ToArray());
                AnsiConsole.Write(table);
            }
        }
    }
}
