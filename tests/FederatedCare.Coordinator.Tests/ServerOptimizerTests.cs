using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.Wire;
using static FederatedCare.Coordinator.Tests.StrategyTestData;

namespace FederatedCare.Coordinator.Tests;

/// <summary>FedAdagrad, FedAdam and FedYogi against a two-client, two-round example worked out by hand.</summary>
public class ServerOptimizerTests
{
    // η = 0.1, β1 = 0.9, β2 = 0.99, τ = 0.1; bias x0 = 1; A has 1 example, B 3.
    // Round 1: Δ_A = 4, Δ_B = 0  → Δ = (1·4 + 3·0)/4 = 1;   m1 = 0.1·1 = 0.1
    // Round 2: Δ_A = 2, Δ_B = −2 → Δ = (2 − 6)/4 = −1;     m2 = 0.9·0.1 + 0.1·(−1) = −0.01
    private static readonly FedOptOptions Options = new(ServerLearningRate: 0.1, Beta1: 0.9, Beta2: 0.99, Tau: 0.1);

    [Theory]
    // Adagrad: v1 = 1, x1 = 1 + 0.1·0.1/(1 + 0.1) = 1.0090909;  v2 = 2, x2 = x1 + 0.1·(−0.01)/(√2 + 0.1) = 1.0084305
    [InlineData("fedadagrad", 1.0090909, 1.0, 1.0084305, 2.0)]
    // Adam: v1 = 0.01·1 = 0.01, x1 = 1 + 0.1·0.1/(0.1 + 0.1) = 1.05;
    //       v2 = 0.99·0.01 + 0.01·1 = 0.0199, x2 = 1.05 + 0.1·(−0.01)/(√0.0199 + 0.1) = 1.05 − 0.0041482 = 1.0458518
    [InlineData("fedadam", 1.05, 0.01, 1.0458518, 0.0199)]
    // Yogi: v1 = 0 − 0.01·1·sign(0 − 1) = 0.01, x1 = 1.05;
    //       v2 = 0.01 − 0.01·1·sign(0.01 − 1) = 0.02, x2 = 1.05 + 0.1·(−0.01)/(√0.02 + 0.1) = 1.05 − 0.0041421 = 1.0458579
    [InlineData("fedyogi", 1.05, 0.01, 1.0458579, 0.02)]
    public void Two_rounds_match_the_hand_computed_values(string name, double x1, double v1, double x2, double v2)
    {
        var strategy = Create(name, Options);
        var global = TestModels.LogReg([1f, 2f], 1f);

        var round1 = StrategyTestData.Aggregate(strategy, global, [Bias("A", 1, 4f), Bias("B", 3, 0f)]);
        Assert.Equal(x1, BiasOf(round1), 1e-6);
        Assert.Equal(0.1, BiasOf(strategy.ServerState["m"]), 1e-7);
        Assert.Equal(v1, BiasOf(strategy.ServerState["v"]), 1e-7);

        var round2 = StrategyTestData.Aggregate(strategy, round1, [Bias("B", 3, -2f), Bias("A", 1, 2f)]);
        Assert.Equal(x2, BiasOf(round2), 1e-6);
        Assert.Equal(-0.01, BiasOf(strategy.ServerState["m"]), 1e-7);
        Assert.Equal(v2, BiasOf(strategy.ServerState["v"]), 1e-7);

        // Coordinates whose pseudo-gradient is always 0 do not move: 0 / (√0 + τ) = 0.
        Assert.Equal([1f, 2f], round2.Tensors[0].Values);
        Assert.Equal(1f, BiasOf(global)); // the input is untouched
    }

    [Theory]
    [InlineData("fedadagrad")]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    public void Fifty_rounds_with_tiny_tau_stay_finite(string name)
    {
        var strategy = Create(name, new FedOptOptions(ServerLearningRate: 1.0, Tau: 1e-9));
        var global = TestModels.LogReg([0.5f, -0.5f], 0f);
        // Δ = 0 rounds (0/τ), tiny and subnormal Δ (Δ² underflows in float32), ordinary and large Δ, in a cycle.
        float[] pattern = [0f, 1e-30f, -1e-38f, 1e-45f, 0.5f, 0f, -1e3f, 1e-20f, 0f, 3e-41f];
        for (int round = 1; round <= 50; round++)
        {
            float d = pattern[round % pattern.Length];
            var delta = (float)(d * (round % 2 == 0 ? 1 : -1));
            global = StrategyTestData.Aggregate(strategy, global, [
                new ClientUpdate("A", 10, TestModels.LogReg([delta, 0f], delta), NoMetrics),
                new ClientUpdate("B", 20, TestModels.LogReg([delta, 0f], -delta), NoMetrics)]);
            Assert.All(global.Tensors.SelectMany(t => t.Values), v => Assert.True(float.IsFinite(v), $"round {round}: {v}"));
            foreach (var (key, state) in strategy.ServerState)
                Assert.All(state.Tensors.SelectMany(t => t.Values), v => Assert.True(float.IsFinite(v) && (key == "m" || v >= 0), $"{key} round {round}: {v}"));
        }
    }

    private static FedOpt Create(string name, FedOptOptions options) => name switch
    {
        "fedadagrad" => new FedAdagrad(options),
        "fedadam" => new FedAdam(options),
        _ => new FedYogi(options),
    };
}
