using System.Text;

namespace FederatedCare.Cli.Output;

/// <summary>CSV text: a header line and one line per row, LF line ends; a field holding a comma, a quote or a line break is quoted (RFC 4180).</summary>
public static class CsvText
{
    /// <summary>The CSV text of <paramref name="header"/> and <paramref name="rows"/>.</summary>
    public static string Format(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var sb = new StringBuilder().AppendJoin(',', header.Select(Quote)).Append('\n');
        foreach (var row in rows) sb.AppendJoin(',', row.Select(Quote)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The field, quoted when it must be.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
