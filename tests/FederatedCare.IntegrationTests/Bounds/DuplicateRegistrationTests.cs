using FederatedCare.Coordinator.Extensions;
using FederatedCare.Coordinator.Federation;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// Issue 14: two agents for one region (plaintext) took it from each other for ever. Now the region's live agent keeps
/// it: a second registration is refused with AlreadyExists (a hostile client's, or a second real agent's, which stands
/// by and gets in once the first is gone), and the first never sees its registration replaced.
/// </summary>
public class DuplicateRegistrationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_second_registration_of_a_live_region_is_refused_and_the_real_agent_keeps_it()
    {
        await using var coordinator = await CoordinatorHost.StartAsync(
            [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", "--Coordinator:HeartbeatSeconds=1"]);
        var registry = coordinator.App.Services.GetRequiredService<NodeRegistry>();
        using var agent = await StartAgentAsync(coordinator, "Halland");
        var real = await ConnectedAsync(registry, "Halland", except: null);
        var hostile = new Protos.V1.Federation.FederationClient(coordinator.CreateChannel());

        var e = await Assert.ThrowsAsync<RpcException>(() => hostile.RegisterAsync(new RegisterRequest { Region = "Halland", AgentVersion = "evil" }).ResponseAsync);
        var guess = await Assert.ThrowsAsync<RpcException>(() => hostile.RegisterAsync(
            new RegisterRequest { Region = "Halland", PreviousNodeId = Guid.NewGuid().ToString() }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.StartsWith("Region 'Halland' is already served by a live agent", e.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(real.NodeId, e.Status.Detail, StringComparison.Ordinal); // the refusal gives the live id away to no one
        Assert.Equal(StatusCode.AlreadyExists, guess.StatusCode); // only the live node's own id replaces it
        Assert.Same(real, registry.Find(real.NodeId));
        Assert.True(real.Connected && !real.IsEnded);
        Assert.Equal("Halland", Assert.Single((await new Operator.OperatorClient(coordinator.CreateChannel()).ListNodesAsync(new ListNodesRequest())).Nodes).Region);

        // Once the agent is gone (its stream closes), the region is free again.
        await agent.StopAsync();
        await DisconnectedAsync(registry, real);
        var next = await hostile.RegisterAsync(new RegisterRequest { Region = "Halland" });
        Assert.NotEqual(real.NodeId, next.NodeId);
        Assert.True(real.IsEnded);
    }

    [Fact]
    public async Task A_second_real_agent_stands_by_without_disturbing_the_first_and_takes_over_when_it_stops()
    {
        var log = new CapturedLog();
        await using var coordinator = await CoordinatorHost.StartAsync(
            [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", "--Coordinator:HeartbeatSeconds=1"], log.Attach);
        var registry = coordinator.App.Services.GetRequiredService<NodeRegistry>();
        using var first = await StartAgentAsync(coordinator, "Halland");
        var held = await ConnectedAsync(registry, "Halland", except: null);

        using var second = await StartAgentAsync(coordinator, "Halland");
        // The second is refused again and again (it retries with its backoff) while the first keeps the region.
        await log.WaitUntilAsync(text => Count(text, "Registration for region Halland refused (AlreadyExists)") >= 3, Patience);
        Assert.Same(held, registry.Find(held.NodeId));
        Assert.True(held.Connected && !held.IsEnded);
        Assert.Equal(1, Count(log.Text, "registered for region Halland"));

        await first.StopAsync();
        var taken = await ConnectedAsync(registry, "Halland", except: held.NodeId);
        Assert.NotEqual(held.NodeId, taken.NodeId);
        Assert.Equal(2, Count(log.Text, "registered for region Halland"));
        await second.StopAsync();
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private static async Task<IHost> StartAgentAsync(RunningCoordinator coordinator, string region)
    {
        var agent = NodeAgentHost.CreateBuilder(
        [
            "--config", Path.Combine(RepositoryPaths.Root, "examples", "heart-disease", "nodes", Federation.ConfigName(region) + ".json"),
            $"--NodeAgent:CoordinatorAddress={coordinator.Address}",
            "--NodeAgent:Reconnect:InitialDelayMs=50",
            "--NodeAgent:Reconnect:MaxDelayMs=200",
            "--Serilog:MinimumLevel:Default=Warning",
        ]).Build();
        await agent.StartAsync();
        return agent;
    }

    // The region's node once its task stream is open (other than the node named by except).
    private static async Task<NodeSession> ConnectedAsync(NodeRegistry registry, string region, string? except)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var changed = registry.Changed;
            if (registry.All.FirstOrDefault(s => s.Region == region && s.Connected && s.NodeId != except) is { } session) return session;
            await changed.WaitAsync(cts.Token);
        }
    }

    private static async Task DisconnectedAsync(NodeRegistry registry, NodeSession session)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var changed = registry.Changed;
            if (!session.Connected) return;
            await changed.WaitAsync(cts.Token);
        }
    }
}
