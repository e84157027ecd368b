using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using TorchSharp;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>FedProx (Li et al. 2020): local loss + (μ/2)·‖w − w_global‖².</summary>
public sealed class FedProxTests
{
    [Fact]
    public void Mu_zero_gives_plain_SGD_bit_for_bit()
    {
        var zoo = new ModelZoo();
        var data = TestData.Heart[0];
        var global = zoo.CreateInitial(FedAvgSimulation.LogisticRegression, 42, data.Width);
        var sgd = new TrainingSettings(OptimizerKind.Sgd, 0.001, 4, 100, 0);
        var trainer = new LocalTrainer(zoo, TestData.Runtime);
        var plain = trainer.Train(data, FedAvgSimulation.LogisticRegression, global, sgd, 42, 2, "Cleveland");
        var prox = trainer.Train(data, FedAvgSimulation.LogisticRegression, global, sgd, 42, 2, "Cleveland", new LocalObjective(ProximalMu: 0));
        Assert.Equal(plain.Delta.ComputeSha256(), prox.Delta.ComputeSha256());
    }

    [Fact]
    public void The_proximal_gradient_matches_the_formula()
    {
        // w = (1, 2), g = (0.5, 0), μ = 0.1, model-loss gradient (0.25, −1): ∇(μ/2)·‖w − g‖² = μ·(w − g) = (0.05, 0.2).
        using var scope = torch.NewDisposeScope();
        var w = torch.tensor(new float[] { 1, 2 }).requires_grad_();
        var g = torch.tensor(new float[] { 0.5f, 0 });
        w.mul(torch.tensor(new float[] { 0.25f, -1 })).sum().backward();
        FedProx.AddProximalGradient([w], [g], 0.1);
        Assert.Equal([0.3f, -0.8f], w.grad!.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-7);
        Assert.Equal([1f, 2f], w.data<float>().ToArray()); // the weights themselves are untouched
    }

    [Fact]
    public void A_positive_mu_pulls_the_second_step_toward_the_global_weights()
    {
        // One row (x = 2, y = 1), batch 1, two SGD steps of size η from w_global = (0, 0).
        // Step 1 starts at w_global, where the proximal gradient is 0: w₁ = w₀ − η·∇ℓ(w₀) either way.
        // Step 2: plain w₂ = w₁ − η·∇ℓ(w₁); FedProx w₂ = w₁ − η·(∇ℓ(w₁) + μ·(w₁ − w₀)).
        const double eta = 0.1, mu = 0.5, x = 2, y = 1;
        var rows = TinyProblem.Rows([(float)x], [(float)y]);
        var start = TinyProblem.Model(0, 0);
        var g0 = TinyProblem.Gradient(0, 0, x, y); // p = 0.5: (−1, −0.5)
        Assert.Equal((-1.0, -0.5), g0);
        double w1 = -eta * g0.W, b1 = -eta * g0.B; // (0.1, 0.05)
        var g1 = TinyProblem.Gradient(w1, b1, x, y);
        double plainW = w1 - eta * g1.W, plainB = b1 - eta * g1.B;
        double proxW = w1 - eta * (g1.W + mu * w1), proxB = b1 - eta * (g1.B + mu * b1);

        var plain = TinyProblem.Values(TinyProblem.Sgd(rows, start, eta, 2, LocalObjective.None).Delta);
        var prox = TinyProblem.Values(TinyProblem.Sgd(rows, start, eta, 2, new LocalObjective(ProximalMu: mu)).Delta);
        Assert.Equal(plainW, plain.W, 6);
        Assert.Equal(plainB, plain.B, 6);
        Assert.Equal(proxW, prox.W, 6);
        Assert.Equal(proxB, prox.B, 6);
        // The pull: exactly −η·μ·(w₁ − w₀) = (−0.005, −0.0025), toward the global model.
        Assert.Equal(-0.005, prox.W - plain.W, 6);
        Assert.Equal(-0.0025, prox.B - plain.B, 6);
    }

    [Fact]
    public void Mu_comes_from_the_strategy_with_FLambys_default()
    {
        Assert.Equal(0.01, FedProx.MuOf(new StrategySpec { Name = "fedprox" }));
        Assert.Equal(0.3, FedProx.MuOf(new StrategySpec { Name = "fedprox", Parameters = { ["mu"] = 0.3 } }));
        Assert.Throws<ArgumentException>(() => FedProx.MuOf(new StrategySpec { Name = "fedprox", Parameters = { ["mu"] = -1 } }));
    }
}
