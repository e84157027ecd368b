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
        int beats = 0, failures = 0;
        using var cts = new CancellationTokenSource();
        var loop = HeartbeatLoop.RunAsync(_ =>
        {
            // The third beat finds the coordinator restarting.
            if (Interlocked.Increment(ref beats) == 3) throw new RpcException(new Status(StatusCode.Unavailable, "restarting"));
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(5), time, _ => Interlocked.Increment(ref failures), cts.Token);

        time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(20);
        Assert.Equal(0, Volatile.Read(ref beats));
        for (int i = 1; i <= 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await WaitUntil(() => Volatile.Read(ref beats) == i);
        }
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
