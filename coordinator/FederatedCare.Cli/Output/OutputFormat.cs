using System.CommandLine;

namespace FederatedCare.Cli.Output;

/// <summary>How a command prints its data: a table for people, JSON or CSV for scripts.</summary>
public enum OutputFormat
{
    /// <summary>A console table (the default): fits the terminal, or does not wrap when stdout is redirected.</summary>
    Table,

    /// <summary>One JSON document on stdout (camelCase names, numbers as numbers); errors go to stderr.</summary>
    Json,

    /// <summary>CSV on stdout: a header line, then one line per row (RFC 4180 quoting, LF line ends).</summary>
    Csv,
}

/// <summary>The <c>--output</c> (<c>-o</c>) option of every command that prints data.</summary>
public static class OutputOption
{
    /// <summary>A new <c>--output table|json|csv</c> option (<c>table|json</c> without <paramref name="csv"/>), default table.</summary>
    public static Option<OutputFormat> Create(bool csv = true)
    {
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = csv ? "Output format: table, json or csv." : "Output format: table or json.",
            DefaultValueFactory = _ => OutputFormat.Table,
        };
        option.AcceptOnlyFromAmong(csv ? ["table", "json", "csv"] : ["table", "json"]);
        return option;
    }
}
