using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Spectre.Console progress bars on stderr, only when stderr is a terminal: stdout stays the command's data, and
/// redirected runs (scripts, tests) get nothing extra.
/// </summary>
public static class TerminalProgress
{
    /// <summary>Whether progress is shown: stderr is a terminal.</summary>
    public static bool Shown => !Console.IsErrorRedirected;

    /// <summary>A console that writes to stderr.</summary>
    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs <paramref name="action"/> with a progress display on stderr: with <paramref name="bytes"/> byte counts and rate, otherwise a count of steps.</summary>
    public static Task<T> RunAsync<T>(Func<ProgressContext, Task<T>> action, bool bytes) =>
        Stderr.Progress().AutoClear(true)
            .Columns(bytes
                ? [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn()]
                : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()])
            .StartAsync(action);
}
