using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// One of the apps as an operator starts it: a separate <c>dotnet</c> process of its own build output, with its
/// standard output and error collected line by line.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private AppProcess(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Standard output so far, by line.</summary>
    public IReadOnlyList<string> Stdout => [.. _stdout];

    /// <summary>The operating system's process id (e.g. to read its <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Standard error so far.</summary>
    public string Stderr => string.Join('\n', _stderr);

    /// <summary>The app's build output of the same configuration as these tests, with its own deps and settings files.</summary>
    public static string Dll(string projectFolder, string assemblyName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(RepositoryPaths.Root, projectFolder, "bin", configuration, "net10.0", assemblyName + ".dll");
    }

    /// <summary>Starts the app.</summary>
    public static AppProcess Start(string dll, params IEnumerable<string> args) => new(dll, args);

    /// <summary>Starts the app with extra environment variables (e.g. a shifted clock through libfaketime).</summary>
    public static AppProcess Start(string dll, IReadOnlyDictionary<string, string> environment, params IEnumerable<string> args) =>
        new(dll, args, environment);

    /// <summary>Runs the app to its end (at most a minute); returns its exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Stderr)> RunAsync(string dll, params IEnumerable<string> args)
    {
        using var app = Start(dll, args);
        return (await app.WaitForExitAsync(TimeSpan.FromMinutes(1)), app.Stderr);
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
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

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
