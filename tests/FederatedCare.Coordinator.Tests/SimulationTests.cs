using FederatedCare.Protos.V1;
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

    [Theory]
    [InlineData("fedavg")]
    [InlineData("scaffold")]
    public void Streaming_rounds_reuse_the_clients_arrays_and_give_the_buffered_result_up_to_rounding(string strategy)
    {
        // Budget 0: every update is folded on arrival and its arrays (delta, SCAFFOLD's control delta) go back to the
        // training pool while other clients train; an array reused too early would change the result far beyond rounding.
        SimulationOptions Options(long budget) => new()
        {
            Clients = 30, Rounds = 3, TrainRows = 3_000, TestRows = 500, Strategy = strategy, Partition = "dirichlet", Alpha = 1.0,
            LearningRate = 0.1, Parallelism = 4, Aggregation = { BufferedBytesBudget = budget },
        };
        var buffered = new SimulationRunner(Options(long.MaxValue)).Run();
        var streamed = new SimulationRunner(Options(0)).Run();
        Assert.Equal(buffered.Select(r => r.Clients), streamed.Select(r => r.Clients));
        Assert.Equal(buffered.Select(r => r.TestLoss), streamed.Select(r => r.TestLoss), (a, b) => Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Abs(a)));
    }

    [Fact]
    public void Training_on_recycled_buffers_gives_exactly_what_fresh_ones_give()
    {
        var mlp = new Mlp(Data.Width, 16, Data.Classes);
        var global = mlp.Initial(5);
        var first = Data.Subset(Enumerable.Range(0, 200).ToList());
        var second = Data.Subset(Enumerable.Range(200, 300).ToList());
        var (used, _, _) = mlp.Train(global, first, 1, 16, 0.1f, 0f, seed: 1);
        mlp.Recycle(used); // its arrays still hold the first client's delta
        var (delta, loss, _) = mlp.Train(global, second, 1, 16, 0.1f, 0f, seed: 2);
        var (fresh, freshLoss, _) = new Mlp(Data.Width, 16, Data.Classes).Train(global, second, 1, 16, 0.1f, 0f, seed: 2);
        Assert.Equal(fresh.ComputeSha256(), delta.ComputeSha256());
        Assert.Equal(freshLoss, loss);
    }

    [Fact]
    public void Scaffold_runs_with_client_control_variates_kept_by_the_virtual_clients()
    {
        var results = new SimulationRunner(new SimulationOptions
        {
            Clients = 20, Rounds = 4, TrainRows = 2_000, TestRows = 500, Strategy = "scaffold", Partition = "dirichlet", Alpha = 1.0, LearningRate = 0.1,
        }).Run();
        Assert.Equal(4, results.Count);
        Assert.True(results[^1].TestAccuracy > 0.3, $"{results[^1].TestAccuracy}");
    }

    [Theory]
    [InlineData(ClippingSide.Server)]
    [InlineData(ClippingSide.Client)]
    public void Differential_privacy_runs_through_the_production_pipeline_and_is_reproducible(ClippingSide clipping)
    {
        SimulationOptions Options() => new()
        {
            Clients = 20, Rounds = 3, TrainRows = 2_000, TestRows = 500, LearningRate = 0.1,
            Privacy = new() { ClippingNorm = 0.5, NoiseMultiplier = 0.1, Clipping = clipping },
        };
        var first = new SimulationRunner(Options()).Run();
        var second = new SimulationRunner(Options()).Run();
        Assert.Equal(3, first.Count);
        // Seeded noise key and region-order aggregation: the noised models are bit-identical.
        Assert.Equal(first.Select(r => r.TestLoss), second.Select(r => r.TestLoss));
    }

    [Fact]
    public void Privacy_with_a_strategy_that_is_not_a_mean_is_refused_with_a_reason() =>
        Assert.Contains("median", Assert.Throws<ArgumentException>(() => new SimulationRunner(new SimulationOptions
        {
            Strategy = "median", Clients = 2, Privacy = new() { ClippingNorm = 1, NoiseMultiplier = 1 },
        }).Run()).Message);

    [Fact]
    public void More_min_fit_clients_than_clients_is_refused_instead_of_waiting_for_ever() =>
        Assert.Contains("min-fit-clients", Assert.Throws<ArgumentException>(() => new SimulationRunner(new SimulationOptions
        {
            Clients = 3, Rounds = 1, TrainRows = 300, TestRows = 50, MinFitClients = 4,
        }).Run()).Message);
}
