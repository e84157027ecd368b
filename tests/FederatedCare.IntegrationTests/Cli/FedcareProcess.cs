namespace FederatedCare.IntegrationTests.Cli;

/// <summary>The <c>fedcare</c> CLI as a user runs it: an <see cref="AppProcess"/> of its build output.</summary>
internal static class FedcareProcess
{
    private static readonly string Dll = AppProcess.Dll("coordinator/FederatedCare.Cli", "fedcare");

    /// <summary>Starts fedcare with <paramref name="args"/>.</summary>
    public static AppProcess Start(params IEnumerable<string> args) => AppProcess.Start(Dll, args);

    /// <summary>Runs fedcare to its end (at most a minute); returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params IEnumerable<string> args)
    {
        using var fedcare = Start(args);
        var exitCode = await fedcare.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (exitCode, string.Join('\n', fedcare.Stdout), fedcare.Stderr);
    }
}
