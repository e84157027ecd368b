using System.Text;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Writes the tables of an analysis job's results as CSV files, <c>DIR/&lt;table&gt;.csv</c> (UTF-8, LF, header line;
/// a cell holding a comma, quote or line break is quoted). A table name that an earlier step of the job already
/// used gets the step's number: <c>cox_coefficients_2.csv</c> for step 2. A Kaplan–Meier result's curves are also
/// plotted, one SVG per region (<see cref="KaplanMeierChart"/>).
/// </summary>
public static class AnalysisCsv
{
    /// <summary>Writes every table of <paramref name="results"/> into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(string directory, IEnumerable<AnalysisResult> results)
    {
        Directory.CreateDirectory(directory);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var written = new List<string>();
        foreach (var result in results)
            foreach (var table in result.Tables)
            {
                var name = used.Add(table.Name) ? table.Name : $"{table.Name}_{result.Step}";
                var path = Path.Combine(directory, name + ".csv");
                File.WriteAllText(path, Format(table), new UTF8Encoding(false));
                written.Add(path);
                if (table.Name == KaplanMeierChart.CurvesTable) written.AddRange(KaplanMeierChart.WriteAll(directory, table));
            }
        return written;
    }

    /// <summary>One table as CSV text.</summary>
    public static string Format(AnalysisTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return CsvText.Format(table.Columns, table.Rows.Select(r => r.Cells));
    }
}
