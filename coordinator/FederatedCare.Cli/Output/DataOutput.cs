using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>Prints a command's data in the <see cref="OutputFormat"/> the user chose; only the chosen form is built.</summary>
public static class DataOutput
{
    /// <summary>Writes <paramref name="table"/>, <paramref name="json"/> or <paramref name="csv"/>'s result to stdout.</summary>
    public static void Write(OutputFormat format, Func<Table> table, Func<object> json, Func<string> csv)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(csv);
        switch (format)
        {
            case OutputFormat.Json: JsonOutput.Write(json()); break;
            case OutputFormat.Csv: Console.Out.Write(csv()); break;
            default: AnsiConsole.Write(table()); break;
        }
    }

    /// <summary>A console table of <paramref name="header"/> and <paramref name="rows"/>, every cell escaped (no markup).</summary>
    public static Table Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var table = new Table();
        foreach (var column in header) table.AddColumn(Markup.Escape(column));
        foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }
}
