using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// Server state survives a restart: a strategy that gets another instance's <see cref="IStrategy.ServerState"/>
/// through <see cref="IStrategy.RestoreState"/> continues bit-identically, and without it would not.
/// </summary>
public class StrategyStateTests
{
    private static ClientUpdate U(string region, long n, float w, float b) =>
        new(region, n, TestModels.LogReg([w, -w], b), new Dictionary<string, double>(), TestModels.LogReg([w / 2, w], -b));

    private static readonly ClientUpdate[] Round1 = [U("A", 10, 0.4f, 0.1f), U("B", 30, -0.2f, 0.3f)];
    private static readonly ClientUpdate[] Round2 = [U("A", 10, 0.1f, -0.2f), U("B", 30, 0.5f, 0.05f)];

    private static IStrategy Create(string name) => name switch
    {
        "fedadam" => new FedAdam(new FedOptOptions(ServerLearningRate: 0.1, Beta1: 0.9, Beta2: 0.99, Tau: 0.01)),
        "fedyogi" => new FedYogi(new FedOptOptions(ServerLearningRate: 0.1, Beta1: 0.9, Beta2: 0.99, Tau: 0.01)),
        _ => new Scaffold(new ScaffoldOptions(ServerLearningRate: 1)),
    };

    private static ModelParameters Round(IStrategy strategy, ModelParameters global, int round, IReadOnlyList<ClientUpdate> updates)
    {
        var spec = new JobSpec { FractionFit = 1, MinFitClients = 2, Seed = 1, Regions = { "A", "B", "C" } };
        var context = new FitContext(round, 0, spec, [new("a", "A"), new("b", "B")], global);
        strategy.ConfigureFit(context);
        // Only SCAFFOLD's updates carry control deltas.
        return RoundAccumulator.Aggregate(strategy, context, strategy is Scaffold ? updates : updates.Select(u => u with { ControlDelta = null }));
    }

    // The model and every server-state tensor set (SCAFFOLD's c changes what clients get, not the model itself).
    private static string Fingerprint(IStrategy strategy, ModelParameters model) =>
        string.Join(" ", strategy.ServerState.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.ComputeSha256()}")
            .Prepend(model.ComputeSha256()));

    [Theory]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    [InlineData("scaffold")]
    public void A_restored_strategy_continues_exactly_where_the_first_stopped(string name)
    {
        var x0 = TestModels.LogReg([1f, 2f], 0.5f);
        var uninterrupted = Create(name);
        var x1 = Round(uninterrupted, x0, 1, Round1);
        var expected = Fingerprint(uninterrupted, Round(uninterrupted, x1, 2, Round2));

        var first = Create(name);
        Assert.Equal(x1.ComputeSha256(), Round(first, x0, 1, Round1).ComputeSha256());
        Assert.NotEmpty(first.ServerState);
        var restored = Create(name);
        restored.RestoreState(first.ServerState.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()));
        Assert.Equal(expected, Fingerprint(restored, Round(restored, x1, 2, Round2)));

        // Fresh state (what a resumed job got before state was persisted) gives another model or state.
        var fresh = Create(name);
        Assert.NotEqual(expected, Fingerprint(fresh, Round(fresh, x1, 2, Round2)));
    }

    [Fact]
    public void A_snapshot_without_the_needed_tensors_is_refused_and_an_empty_one_means_fresh_state()
    {
        var adam = Create("fedadam");
        var e = Assert.Throws<ArgumentException>(() => adam.RestoreState(new Dictionary<string, ModelParameters> { ["m"] = TestModels.LogReg([0f, 0f], 0f) }));
        Assert.Contains("'v'", e.Message);
        adam.RestoreState(new Dictionary<string, ModelParameters>());
        Assert.Empty(adam.ServerState);
    }
}
