using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using static FederatedCare.Coordinator.Tests.StrategyTestData;

namespace FederatedCare.Coordinator.Tests;

/// <summary>SCAFFOLD's server rule against a two-client, two-round example, and the upload layout it demands.</summary>
public class ScaffoldTests
{
    [Fact]
    public void Two_rounds_match_the_hand_computed_values()
    {
        // η_g = 0.5; three regions are available (N = 3) but only A (1 example) and B (3) answer: |S|/N = 2/3.
        var scaffold = new Scaffold(new ScaffoldOptions(ServerLearningRate: 0.5));
        var spec = new StrategySpec { Name = "scaffold", Parameters = { ["server_learning_rate"] = 0.5 } };
        var x0 = TestModels.LogReg([1f, 2f], 1f);

        var plan1 = scaffold.ConfigureFit(Context(x0, 1, available: 3, spec));
        Assert.NotNull(plan1.ServerControl);
        Assert.All(plan1.ServerControl.Tensors.SelectMany(t => t.Values), v => Assert.Equal(0f, v)); // c0 = 0
        // Round 1: Δy_A = 4, Δy_B = 0; Δc_A = 0.6, Δc_B = −0.3.
        // x1 = 1 + 0.5·(1·4 + 3·0)/4 = 1.5;  c1 = 0 + (2/3)·(0.6 − 0.3)/2 = 0.1
        var x1 = StrategyTestData.Aggregate(scaffold, x0, [Bias("A", 1, 4f, 0.6f), Bias("B", 3, 0f, -0.3f)], round: 1, available: 3);
        Assert.Equal(1.5, BiasOf(x1), 1e-6);
        Assert.Equal(0.1, BiasOf(scaffold.ServerState["c"]), 1e-6);

        var plan2 = scaffold.ConfigureFit(Context(x1, 2, available: 3, spec));
        Assert.Equal(0.1, BiasOf(plan2.ServerControl!), 1e-6);
        // Round 2: Δy_A = 2, Δy_B = −2; Δc_A = 0.3, Δc_B = 0.
        // x2 = 1.5 + 0.5·(2 − 6)/4 = 1.0;  c2 = 0.1 + (2/3)·(0.3 + 0)/2 = 0.2
        var x2 = StrategyTestData.Aggregate(scaffold, x1, [Bias("A", 1, 2f, 0.3f), Bias("B", 3, -2f, 0f)], round: 2, available: 3);
        Assert.Equal(1.0, BiasOf(x2), 1e-6);
        Assert.Equal(0.2, BiasOf(scaffold.ServerState["c"]), 1e-6);
        Assert.Equal([1f, 2f], x2.Tensors[0].Values);
        Assert.Equal(0f, BiasOf(plan1.ServerControl)); // a handed-out c never changes afterwards
    }

    [Fact]
    public void Updates_must_carry_the_control_deltas_after_the_model_delta()
    {
        var global = TestModels.LogReg([1f, 2f], 1f);
        var expected = new Scaffold(new ScaffoldOptions()).ExpectedUpdate(global);
        Assert.Equal(["linear.weight", "linear.bias", "control_delta/linear.weight", "control_delta/linear.bias"], expected.Select(t => t.Name));
        var plain = Assert.Throws<InvalidUpdateException>(() => UpdateChecks.Manifest(1, expected, TestModels.LogReg([0f, 0f], 0f).ToManifest()));
        Assert.Contains("control_delta/linear.weight", plain.Message);

        var upload = new Protos.Wire.ModelParameters([
            .. TestModels.LogReg([0.1f, 0.2f], 0.3f).Tensors,
            .. TestModels.LogReg([0.4f, 0.5f], 0.6f).Tensors.Select(t => t with { Name = UpdateLayout.ControlDeltaPrefix + t.Name })]);
        UpdateChecks.Manifest(1, expected, upload.ToManifest());
        var (delta, control) = UpdateLayout.Split(upload);
        Assert.Equal(["linear.weight", "linear.bias"], delta.Tensors.Select(t => t.Name));
        Assert.Equal(["linear.weight", "linear.bias"], control!.Tensors.Select(t => t.Name));
        Assert.Equal(0.6f, BiasOf(control));

        var swapped = new Protos.Wire.ModelParameters([upload.Tensors[0], upload.Tensors[1], upload.Tensors[3], upload.Tensors[2]]);
        Assert.Throws<InvalidUpdateException>(() => UpdateChecks.Manifest(1, expected, swapped.ToManifest()));
    }
}
