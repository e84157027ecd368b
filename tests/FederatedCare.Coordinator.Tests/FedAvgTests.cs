using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

public class FedAvgTests
{
    // Fed-Heart-Disease train sizes: Switzerland 30, Cleveland 199.
    private static readonly ClientUpdate Switzerland = new("Switzerland", 30, TestModels.LogReg([0.3f, -0.6f], 1.0f), new Dictionary<string, double>());
    private static readonly ClientUpdate Cleveland = new("Cleveland", 199, TestModels.LogReg([-0.2f, 0.4f], -1.0f), new Dictionary<string, double>());

    [Fact]
    public void Weighted_average_of_deltas_matches_hand_computed_values()
    {
        var global = TestModels.LogReg([1f, 2f], 0.5f);
        var next = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), global, [Switzerland, Cleveland]);

        // w + (30·Δ_S + 199·Δ_C) / 229
        Assert.Equal(1 + (30 * 0.3 + 199 * -0.2) / 229.0, next.Tensors[0].Values[0], 1e-6); // 0.8655022
        Assert.Equal(2 + (30 * -0.6 + 199 * 0.4) / 229.0, next.Tensors[0].Values[1], 1e-6); // 2.2689956
        Assert.Equal(0.5 + (30 * 1.0 + 199 * -1.0) / 229.0, next.Tensors[1].Values[0], 1e-6); // -0.2379913
        Assert.Equal([1f, 2f], global.Tensors[0].Values); // the input is untouched
    }

    [Fact]
    public void Result_does_not_depend_on_arrival_order()
    {
        var global = TestModels.Random(20_000, seed: 1);
        var updates = Enumerable.Range(0, 5)
            .Select(i => new ClientUpdate($"region-{i}", 10 + 37 * i, TestModels.Random(20_000, seed: 100 + i), new Dictionary<string, double>()))
            .ToList();
        var fedAvg = new FedAvg(new FedAvgOptions());
        var a = StrategyTestData.Aggregate(fedAvg, global, updates);
        var b = StrategyTestData.Aggregate(fedAvg, global, Enumerable.Reverse(updates).ToList());
        Assert.Equal(a.ComputeSha256(), b.ComputeSha256());
    }

    [Fact]
    public void Server_learning_rate_and_uniform_weights_follow_the_parameters()
    {
        var global = TestModels.LogReg([1f, 2f], 0.5f);
        var options = FedAvgOptions.Parse(new Dictionary<string, double> { ["server_learning_rate"] = 0.5, ["weighted"] = 0 });
        var next = StrategyTestData.Aggregate(new FedAvg(options), global, [Switzerland, Cleveland]);
        Assert.Equal(1 + 0.5 * (0.3 - 0.2) / 2, next.Tensors[0].Values[0], 1e-6);
        Assert.Throws<ArgumentException>(() => FedAvgOptions.Parse(new Dictionary<string, double> { ["mu"] = 0.1 }));
    }

    [Fact]
    public void Evaluation_metrics_are_example_weighted()
    {
        var mean = new FedAvg(new FedAvgOptions()).AggregateEvaluate([
            new RegionMetrics { Region = "Switzerland", Round = 3, Split = "test", NumExamples = 30, Loss = 1.0, Accuracy = 0.5 },
            new RegionMetrics { Region = "Cleveland", Round = 3, Split = "test", NumExamples = 199, Loss = 0.5, Accuracy = 0.8 },
        ]);
        var test = Assert.Single(mean);
        Assert.Equal("*", test.Region);
        Assert.Equal(229, test.NumExamples);
        Assert.Equal((30 * 0.5 + 199 * 0.8) / 229, test.Accuracy, 12);
        Assert.Equal((30 * 1.0 + 199 * 0.5) / 229, test.Loss, 12);
    }

    [Fact]
    public void Client_selection_is_seeded_and_sized_by_fraction_fit()
    {
        var clients = new[] { "Örebro", "Halland", "Sahlgrenska", "Karolinska", "Skåne" }
            .Select(r => new AvailableClient(Guid.NewGuid().ToString(), r)).ToList();
        var a = ClientSelection.Sample(clients, 0.5, 2, seed: 42, round: 3, attempt: 0);
        var b = ClientSelection.Sample(Enumerable.Reverse(clients).ToList(), 0.5, 2, seed: 42, round: 3, attempt: 0);
        Assert.Equal(3, a.Count); // ceil(0.5 × 5)
        Assert.Equal(a.Select(c => c.Region), b.Select(c => c.Region));
        Assert.Equal(a.Select(c => c.Region).Order(StringComparer.Ordinal), a.Select(c => c.Region));
        Assert.Equal(4, ClientSelection.Sample(clients, 0.2, 4, 42, 1, 0).Count); // min_fit_clients wins
        Assert.Equal(5, ClientSelection.Sample(clients, 1.0, 1, 42, 1, 0).Count);
    }
}
