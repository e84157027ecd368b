using System.Diagnostics;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// The README's quick start as a new operator runs it (<c>scripts/quickstart.sh</c>): `fedcare` installed as a .NET
/// tool from the packed package, a federation provisioned, the coordinator and four agents started over mutual TLS, the
/// job submitted and watched, the dashboard read, the model downloaded (printed hash = the file's SHA-256) and the
/// report written — every step with the installed tool, not the build output.
/// </summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task The_readme_quick_start_runs_from_tool_install_to_report()
    {
        var dir = RepositoryPaths.TempDirectory();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(RepositoryPaths.Root, "scripts", "quickstart.sh"), "--out", dir, "--no-build" })
            start.ArgumentList.Add(arg);
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEndAsync();
        var stderr = script.StandardError.ReadToEndAsync();
        // A cap, not a deadline under test: the script takes about a minute.
        using var cap = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await script.WaitForExitAsync(cap.Token);

        Assert.True(script.ExitCode == 0, $"exit code {script.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.True(File.Exists(Path.Combine(dir, "tools", "fedcare")), "the tool's command shim is missing");
        var report = await File.ReadAllTextAsync(Path.Combine(dir, "report", "report.md"));
        Assert.Contains("heart-disease-fedavg", report, StringComparison.Ordinal);
        Assert.Contains("quick start done", await stdout, StringComparison.Ordinal);
    }
}
