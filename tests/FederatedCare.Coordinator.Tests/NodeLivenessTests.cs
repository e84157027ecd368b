using FederatedCare.Coordinator.Federation;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Heartbeat timeouts on a fake clock: silent nodes become unavailable, nodes that keep beating never do.</summary>
public class NodeLivenessTests
{
    private static readonly CoordinatorOptions Options = new() { HeartbeatSeconds = 5 }; // timeout 15 s

    private static (NodeRegistry, NodeLivenessMonitor, FakeTimeProvider) Create()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var registry = new NodeRegistry(time, Microsoft.Extensions.Options.Options.Create(Options));
        return (registry, new NodeLivenessMonitor(registry, Microsoft.Extensions.Options.Options.Create(Options), time,
            NullLogger<NodeLivenessMonitor>.Instance), time);
    }

    private static NodeSession Connect(NodeRegistry registry, string region)
    {
        var node = registry.Register(new RegisterRequest { Region = region });
        node.OpenStream(CancellationToken.None);
        return node;
    }

    [Fact]
    public void A_silent_node_is_marked_unavailable_after_the_timeout_and_available_again_when_it_returns()
    {
        var (registry, monitor, time) = Create();
        var halland = Connect(registry, "Halland");
        var orebro = Connect(registry, "Örebro");

        time.Advance(TimeSpan.FromSeconds(10));
        registry.Touch(halland);
        time.Advance(TimeSpan.FromSeconds(5)); // Örebro silent for exactly the timeout: still counted
        Assert.Equal(0, monitor.Sweep());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, monitor.Sweep());
        Assert.Equal(["Halland"], registry.Connected([]).Select(c => c.Region));
        Assert.False(orebro.ToInfo().Connected);
        Assert.Same(orebro, registry.Find(orebro.NodeId)); // still registered: it may come back

        registry.Touch(orebro); // it calls again and reopens its task stream
        orebro.OpenStream(CancellationToken.None);
        Assert.Equal(["Halland", "Örebro"], registry.Connected([]).Select(c => c.Region));
    }

    [Fact]
    public void A_node_that_trains_for_a_long_time_but_keeps_beating_is_never_dropped()
    {
        var (registry, monitor, time) = Create();
        var node = Connect(registry, "Halland");
        for (int beat = 0; beat < 720; beat++) // an hour of training, a heartbeat every 5 s and nothing else
        {
            time.Advance(TimeSpan.FromSeconds(5));
            registry.Touch(node);
            Assert.Equal(0, monitor.Sweep());
        }
        Assert.Single(registry.Connected([]));
    }

    [Fact]
    public void The_dropped_stream_is_cancelled_so_the_node_sees_it_end()
    {
        var (registry, monitor, time) = Create();
        var node = registry.Register(new RegisterRequest { Region = "Halland" });
        var stream = node.OpenStream(CancellationToken.None);
        var changed = registry.Changed;
        time.Advance(TimeSpan.FromSeconds(16));
        monitor.Sweep();
        Assert.True(stream.IsCancellationRequested);
        Assert.True(changed.IsCompleted); // a job waiting for clients re-checks at once
    }

    [Fact]
    public void A_region_unseen_for_the_forget_time_leaves_the_node_list_and_a_connected_one_never_does()
    {
        var (registry, monitor, time) = Create();
        var once = Connect(registry, "Gotland");
        var halland = Connect(registry, "Halland");
        once.DropStream(); // a one-off registration that went away
        for (int beat = 0; beat < 24 * 60; beat++) // a day of heartbeats from Halland, a sweep every minute
        {
            time.Advance(TimeSpan.FromMinutes(1));
            registry.Touch(halland);
            monitor.Sweep();
        }
        Assert.Same(once, registry.Find(once.NodeId)); // exactly 24 h unseen: still listed
        time.Advance(TimeSpan.FromSeconds(1));
        registry.Touch(halland);
        monitor.Sweep();

        Assert.Equal(["Halland"], registry.All.Select(n => n.Region));
        Assert.Null(registry.Find(once.NodeId));
        Assert.True(once.IsEnded);
    }
}
