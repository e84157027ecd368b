using FederatedCare.Coordinator.Extensions;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A real coordinator on an ephemeral loopback port with its own data folder.</summary>
internal sealed class TestCoordinator : IAsyncDisposable
{
    private TestCoordinator(RunningCoordinator running, string dataDirectory)
    {
        Running = running;
        DataDirectory = dataDirectory;
        Channel = running.CreateChannel();
    }

    public RunningCoordinator Running { get; }
    public string DataDirectory { get; }
    public GrpcChannel Channel { get; }
    public IServiceProvider Services => Running.App.Services;

    /// <summary>
    /// Starts a coordinator. Scripted nodes send no heartbeats, so the node timeout is long (60 s) unless
    /// <paramref name="extraArgs"/> say otherwise.
    /// </summary>
    public static async Task<TestCoordinator> StartAsync(string? dataDirectory = null, params string[] extraArgs)
    {
        var dir = dataDirectory ?? TestModels.TempDirectory();
        var running = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={dir}", "--Coordinator:HeartbeatSeconds=1",
            "--Coordinator:NodeTimeoutSeconds=60", .. extraArgs]);
        return new TestCoordinator(running, dir);
    }

    /// <summary>
    /// Starts a coordinator on <paramref name="time"/>: round deadlines (and heartbeats) pass only when the test
    /// advances the clock, so no test waits for wall-clock time and a busy machine cannot make a deadline pass early.
    /// </summary>
    public static async Task<TestCoordinator> StartOnFakeClockAsync(FakeTimeProvider time, params string[] extraArgs)
    {
        var dir = TestModels.TempDirectory();
        var running = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={dir}", "--Coordinator:HeartbeatSeconds=1",
            "--Coordinator:NodeTimeoutSeconds=60", .. extraArgs], builder => builder.Services.AddSingleton<TimeProvider>(time));
        return new TestCoordinator(running, dir);
    }

    /// <summary>
    /// Completes once no live task stream of <paramref name="region"/> is left: a live region refuses another
    /// registration (AlreadyExists), so a test restarting a crashed node waits for the coordinator to see it gone.
    /// </summary>
    public async Task RegionGoneAsync(string region)
    {
        var registry = Services.GetRequiredService<Federation.NodeRegistry>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = registry.Changed;
            if (!registry.All.Any(s => s.Region == region && s.StreamLive)) return;
            await changed.WaitAsync(cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Running.DisposeAsync();
    }
}
