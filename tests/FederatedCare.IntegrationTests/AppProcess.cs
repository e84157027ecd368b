using System.Diagnostics;

namespace FederatedCare.IntegrationTests;

/// <summary>One of the apps as an operator starts it: a separate <c>dotnet</c> process of its own build output.</summary>
internal static class AppProcess
{
    /// <summary>The app's build output of the same configuration as these tests, with its own deps and settings files.</summary>
    public static string Dll(string projectFolder, string assemblyName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(RepositoryPaths.Root, projectFolder, "bin", configuration, "net10.0", assemblyName + ".dll");
    }

    /// <summary>Runs the app to its end (at most a minute); returns its exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Stderr)> RunAsync(string dll, params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        await stdout;
        return (process.ExitCode, await stderr);
    }
}
