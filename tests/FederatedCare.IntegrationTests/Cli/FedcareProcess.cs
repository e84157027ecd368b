using System.Collections.Concurrent;
using System.Diagnostics;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>The <c>fedcare</c> CLI as a user runs it: a process of its build output, with its output lines collected.</summary>
internal sealed class FedcareProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private FedcareProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(AppProcess.Dll("coordinator/FederatedCare.Cli", "fedcare"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Stdout => [.. _stdout];
    public string Stderr => string.Join('\n', _stderr);

    public static FedcareProcess Start(params IEnumerable<string> args) => new(args);

    /// <summary>Runs fedcare to its end (at most a minute); returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params IEnumerable<string> args)
    {
        using var fedcare = Start(args);
        var exitCode = await fedcare.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (exitCode, string.Join('\n', fedcare.Stdout), fedcare.Stderr);
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until a line of standard output satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_stdout.FirstOrDefault(match) is { } line) return line;
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"no such line; stdout:\n{string.Join('\n', _stdout)}\nstderr:\n{Stderr}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM, as a service manager stopping it would.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>Waits for the process to end; returns its exit code once its output is read to the end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
