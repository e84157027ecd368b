using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using static FederatedCare.Coordinator.Tests.StrategyTestData;

namespace FederatedCare.Coordinator.Tests;

public class FedProxTests
{
    [Fact]
    public void Aggregates_like_FedAvg_over_two_rounds()
    {
        var fedProx = new FedProx(new FedProxOptions(Mu: 0.1));
        var x0 = TestModels.LogReg([1f, 2f], 1f);
        // Round 1: x1 = 1 + (1·4 + 3·0)/4 = 2.   Round 2: x2 = 2 + (1·2 + 3·(−2))/4 = 1.
        var x1 = StrategyTestData.Aggregate(fedProx, x0, [Bias("A", 1, 4f), Bias("B", 3, 0f)]);
        Assert.Equal(2.0, BiasOf(x1), 1e-6);
        var x2 = StrategyTestData.Aggregate(fedProx, x1, [Bias("A", 1, 2f), Bias("B", 3, -2f)]);
        Assert.Equal(1.0, BiasOf(x2), 1e-6);
        Assert.Empty(fedProx.ServerState);
    }

    [Fact]
    public void Fit_tasks_carry_mu_with_the_default_written_out()
    {
        var global = TestModels.LogReg([1f, 2f], 1f);
        var defaults = BuiltInStrategies.All.Single(f => f.Name == "fedprox").Create(new StrategySpec { Name = "fedprox" });
        var plan = defaults.ConfigureFit(Context(global, 1, 2, new StrategySpec { Name = "fedprox" }));
        Assert.Equal("fedprox", plan.Instructions.Name);
        Assert.Equal(0.01, plan.Instructions.Parameters["mu"]);
        Assert.Null(plan.ServerControl);

        var spec = new StrategySpec { Name = "fedprox", Parameters = { ["mu"] = 0.5 } };
        var explicitMu = BuiltInStrategies.All.Single(f => f.Name == "fedprox").Create(spec);
        Assert.Equal(0.5, explicitMu.ConfigureFit(Context(global, 1, 2, spec)).Instructions.Parameters["mu"]);
    }
}
