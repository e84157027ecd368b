using System.Diagnostics;
using System.Globalization;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>
/// A process the benchmark starts (the coordinator, the bare server), with its peak resident set size (VmHWM, what
/// Linux calls the high-water mark of the working set) read from <c>/proc/PID/status</c>. Disposing kills it.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    /// <summary>Starts <c>dotnet DLL ARGS</c> with stdout redirected; returns once a stdout line starts with <paramref name="readyPrefix"/> (null: at once).</summary>
    public static async Task<(ChildProcess Process, string? ReadyLine)> StartAsync(string dll, IEnumerable<string> args, string? readyPrefix,
        string logFile, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {dll}");
        var child = new ChildProcess(process);
        var ready = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (readyPrefix is null) ready.TrySetResult(null);
        var log = new StreamWriter(logFile) { AutoFlush = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
            if (readyPrefix is not null && e.Data.StartsWith(readyPrefix, StringComparison.Ordinal)) ready.TrySetResult(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (log) log.WriteLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (child, await ready.Task.WaitAsync(timeout).ConfigureAwait(false));
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the process to exit.</summary>
    /// <exception cref="TimeoutException">It did not.</exception>
    public async Task WaitForExitAsync(TimeSpan timeout) => await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Peak resident set size in MB (10⁶ bytes), from VmHWM.</summary>
    public double PeakMb() => StatusKb("VmHWM:") * 1024 / 1e6;

    /// <summary>Current resident set size in MB.</summary>
    public double CurrentMb() => StatusKb("VmRSS:") * 1024 / 1e6;

    private long StatusKb(string key)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
