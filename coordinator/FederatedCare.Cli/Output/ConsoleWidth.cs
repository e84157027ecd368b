using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>
/// The width tables are drawn to: the terminal's when stdout is one (Spectre.Console measures it), and when stdout is
/// redirected to a file or a pipe, wide enough that no row wraps (Spectre.Console would otherwise assume 80 columns).
/// </summary>
public static class ConsoleWidth
{
    /// <summary>The width when stdout is redirected, in characters.</summary>
    public const int Redirected = 4096;

    /// <summary>Sets the console profile's width for this process.</summary>
    public static void Apply()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Redirected;
    }
}
