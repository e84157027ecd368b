using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// A region whose clock is off: registration measures the skew both ways over real gRPC — the agent learns the
/// coordinator's clock (its task deadlines are judged on it) and `fedcare nodes` shows the skew.
/// </summary>
public class ClockSkewTests
{
    /// <summary>The system clock shifted by a fixed amount: an agent machine whose clock is wrong.</summary>
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    [Fact]
    public async Task Registration_measures_a_two_minute_skew_both_ways()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var calls = new FederationCalls(coordinator.Channel.CreateCallInvoker());
        var (session, _) = await calls.RegisterAsync(new RegisterRequest { Region = "Örebro", Device = WireNames.Devices.Cpu, AgentVersion = "test" },
            CancellationToken.None, new ShiftedClock(TimeSpan.FromMinutes(2)));

        // Exact to within the call's duration; ten seconds is far more than a loopback call takes on a busy machine.
        Assert.InRange(session.ClockOffset.TotalSeconds, -130, -110);
        var node = (await new Operator.OperatorClient(coordinator.Channel).ListNodesAsync(new ListNodesRequest())).Nodes.Single();
        Assert.InRange(node.ClockSkewMs, 110_000, 130_000);
    }
}
