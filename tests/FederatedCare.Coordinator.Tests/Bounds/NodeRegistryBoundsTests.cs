using FederatedCare.Coordinator.Federation;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Bounds;

/// <summary>
/// One live agent per region and a bounded registry, on a fake clock: a second registration of a live region is
/// refused, a gone one is replaced (its stream told Aborted), the agent's own previous id replaces at once, and the
/// registry never holds more than MaxNodes regions.
/// </summary>
public class NodeRegistryBoundsTests
{
    private static readonly CoordinatorOptions Options = new() { HeartbeatSeconds = 5, Limits = { MaxNodes = 3 } }; // node timeout 15 s

    private static (NodeRegistry, FakeTimeProvider) Create()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        return (new NodeRegistry(time, Microsoft.Extensions.Options.Options.Create(Options)), time);
    }

    private static NodeSession Connect(NodeRegistry registry, string region, string previous = "")
    {
        var node = registry.Register(new RegisterRequest { Region = region, PreviousNodeId = previous });
        node.OpenStream(CancellationToken.None);
        return node;
    }

    [Fact]
    public void A_live_region_refuses_a_second_registration_and_a_silent_or_disconnected_one_gives_way()
    {
        var (registry, time) = Create();
        var first = Connect(registry, "Halland");

        var e = Assert.Throws<RpcException>(() => registry.Register(new RegisterRequest { Region = "Halland" }));
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Same(first, registry.Find(first.NodeId));
        Assert.False(first.IsEnded);

        time.Advance(TimeSpan.FromSeconds(16)); // silent for longer than the node timeout: no longer alive
        var second = Connect(registry, "Halland");
        Assert.True(first.IsEnded); // its stream ends with Aborted
        Assert.Null(registry.Find(first.NodeId));

        second.DropStream(); // its stream closed (the agent went away): the region is free at once
        var third = registry.Register(new RegisterRequest { Region = "Halland" });
        Assert.True(second.IsEnded);
        Assert.Same(third, registry.Find(third.NodeId));
    }

    [Fact]
    public void The_agent_naming_its_own_previous_node_id_replaces_it_while_it_still_looks_alive()
    {
        var (registry, _) = Create();
        var first = Connect(registry, "Halland");

        var again = Connect(registry, "Halland", previous: first.NodeId);

        Assert.True(first.IsEnded);
        Assert.Same(again, registry.Find(again.NodeId));
    }

    [Fact]
    public void Beyond_MaxNodes_the_longest_silent_disconnected_region_is_evicted_and_with_all_alive_the_new_one_is_refused()
    {
        var (registry, time) = Create();
        var a = registry.Register(new RegisterRequest { Region = "A" }); // registered, never connected
        time.Advance(TimeSpan.FromSeconds(1));
        var b = Connect(registry, "B");
        var c = Connect(registry, "C");

        var d = Connect(registry, "D");
        Assert.True(a.IsEnded);
        Assert.Equal(["B", "C", "D"], registry.All.Select(s => s.Region));

        var e = Assert.Throws<RpcException>(() => registry.Register(new RegisterRequest { Region = "E" }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("maximum of 3 registered regions", e.Status.Detail, StringComparison.Ordinal);
        Assert.All(new[] { b, c, d }, s => Assert.False(s.IsEnded));
    }
}
