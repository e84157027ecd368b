using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// The coordinator as a separate process of its own build output, on a loopback port, so a test can kill it with
/// SIGKILL (nothing flushed, nothing disposed) and start another on the same data directory and database.
/// </summary>
internal sealed class CoordinatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CoordinatorProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 16 * 1024 * 1024, EnableMultipleHttp2Connections = true },
        });
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>Starts the coordinator and returns once its store health check answers Serving.</summary>
    public static async Task<CoordinatorProcess> StartAsync(string dataDirectory, params string[] args)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Dll(), $"--urls={address}", "--Coordinator:Web:Urls=http://127.0.0.1:0", $"--Coordinator:DataDirectory={dataDirectory}",
                     "--Coordinator:HeartbeatSeconds=1", "--Coordinator:NodeTimeoutSeconds=60", "--Serilog:MinimumLevel:Default=Warning", .. args])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new CoordinatorProcess(process, address);
        // Wait-for-ready retries the connection until the server listens; no clock involved.
        var health = await new Health.HealthClient(running.Channel).CheckAsync(new HealthCheckRequest { Service = "store" },
            new CallOptions(deadline: DateTime.UtcNow.AddMinutes(2)).WithWaitForReady());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        return running;
    }

    /// <summary>SIGKILL, then waits for the process to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private static string Dll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FederatedCare.sln"))) root = root.Parent;
        Assert.NotNull(root);
        return Path.Combine(root.FullName, "coordinator", "FederatedCare.Coordinator", "bin", bin.Parent!.Name, bin.Name, "FederatedCare.Coordinator.dll");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

}
