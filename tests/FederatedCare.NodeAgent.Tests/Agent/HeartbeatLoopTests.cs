using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
using FederatedCare.NodeAgent.Agent;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.NodeAgent.Tests.Agent;

/// <summary>The agent's heartbeat timer on a fake clock.</summary>
public class HeartbeatLoopTests
{
    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++) await Task.Delay(10); // returns as soon as it holds; the cap only ends a broken run
        Assert.True(condition());
    }

    [Fact]
    public async Task Beats_once_per_interval_survives_failures_and_stops_when_cancelled()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var beats = new System.Collections.Concurrent.ConcurrentQueue<int>();
        int step = 0, failures = 0;
        using var cts = new CancellationTokenSource();
        var loop = HeartbeatLoop.RunAsync(_ =>
        {
            // Each beat notes the clock step it belongs to; the third finds the coordinator restarting.
            beats.Enqueue(Volatile.Read(ref step));
            if (beats.Count == 3) throw new RpcException(new Status(StatusCode.Unavailable, "restarting"));
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(5), time, _ => Interlocked.Increment(ref failures), cts.Token);

        // Step 0 advances 4 s, steps 1-4 five seconds each; the next step starts only once a beat was seen, so a beat
        // before its interval would be noted with step 0 (or twice for one step) without waiting on the wall clock.
        time.Advance(TimeSpan.FromSeconds(4));
        for (int i = 1; i <= 4; i++)
        {
            Volatile.Write(ref step, i);
            time.Advance(TimeSpan.FromSeconds(5));
            await WaitUntil(() => beats.Count >= i);
        }
        Assert.Equal([1, 2, 3, 4], beats);
        Assert.Equal(1, failures);
        await cts.CancelAsync();
        Assert.False(await loop.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ends_with_true_when_the_coordinator_no_longer_knows_the_node()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var loop = HeartbeatLoop.RunAsync(_ => throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown node")),
            TimeSpan.FromSeconds(1), time, _ => { }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await loop.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
