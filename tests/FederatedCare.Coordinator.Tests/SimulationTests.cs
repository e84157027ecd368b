using FederatedCare.Simulation;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Partitioners and the simulation loop (its speed is a benchmark, not a test).</summary>
public class SimulationTests
{
    private static readonly Dataset Data = SyntheticDataset.Generate(5_000, 10, 8, 10, 1.0, seed: 3).Train;

    [Theory]
    [InlineData(0.1)]
    [InlineData(1000.0)]
    public void Dirichlet_gives_every_row_to_exactly_one_client_and_skews_labels_more_for_small_alpha(double alpha)
    {
        var parts = new DirichletPartitioner(alpha).Split(Data, 50, seed: 7);
        Assert.Equal(Enumerable.Range(0, Data.Rows), parts.SelectMany(p => p).Order());
        // Mean number of classes a client holds: few for α = 0.1, nearly all for α = 1000.
        double classes = parts.Where(p => p.Length > 0).Average(p => p.Select(r => Data.Labels[r]).Distinct().Count());
        if (alpha < 1) Assert.True(classes < 5, $"{classes}");
        else Assert.True(classes > 9, $"{classes}");
    }

    [Fact]
    public void Iid_deals_rows_evenly()
    {
        var parts = new IidPartitioner().Split(Data, 7, seed: 1);
        Assert.Equal(Enumerable.Range(0, Data.Rows), parts.SelectMany(p => p).Order());
        Assert.True(parts.Max(p => p.Length) - parts.Min(p => p.Length) <= 1);
    }

    [Theory]
    [InlineData("fedavg", 0L)]
    [InlineData("fedavg", 16L << 20)]
    [InlineData("fedadam", 0L)]
    [InlineData("median", 0L)]
    public void A_simulation_learns_and_is_reproducible(string strategy, long bufferedBytesBudget)
    {
        SimulationOptions Options() => new()
        {
            Clients = 40, Rounds = 4, TrainRows = 4_000, TestRows = 1_000, Strategy = strategy, Partition = "dirichlet", Alpha = 1.0,
            LearningRate = strategy == "fedadam" ? 0.05 : 0.1, Aggregation = { BufferedBytesBudget = bufferedBytesBudget },
            StrategyParameters = strategy == "fedadam" ? new() { ["server_learning_rate"] = 0.01 } : [],
        };
        var first = new SimulationRunner(Options()).Run();
        var second = new SimulationRunner(Options()).Run();
        Assert.Equal(4, first.Count);
        Assert.All(first, r => Assert.Equal(40, r.Clients));
        Assert.True(first[^1].TestAccuracy > 0.3, $"{first[^1].TestAccuracy}");
        if (bufferedBytesBudget > 0 || strategy == "median")
            Assert.Equal(first.Select(r => r.TestLoss), second.Select(r => r.TestLoss)); // region order: bit-identical
        else
            Assert.Equal(first[^1].TestLoss, second[^1].TestLoss, 4); // arrival order: equal up to rounding
    }

    [Fact]
    public void Scaffold_is_refused_with_a_reason() =>
        Assert.Contains("scaffold", Assert.Throws<ArgumentException>(() => new SimulationRunner(new SimulationOptions { Strategy = "scaffold", Clients = 2 }).Run()).Message);
}
