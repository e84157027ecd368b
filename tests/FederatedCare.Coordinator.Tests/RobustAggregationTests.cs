using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.Wire;
using static FederatedCare.Coordinator.Tests.StrategyTestData;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Median, trimmed mean and Krum against one Byzantine client among five.</summary>
public class RobustAggregationTests
{
    private const int Size = 64;

    /// <summary>Four honest deltas near 0.5 (noise ±0.02) and one that is an honest-looking delta scaled by 1e6.</summary>
    private static (ModelParameters Global, List<ClientUpdate> Honest, ClientUpdate Byzantine) Federation()
    {
        var random = new Random(7);
        ModelParameters Delta() => new([new NamedTensor("w", [Size],
            Enumerable.Range(0, Size).Select(_ => 0.5f + (float)(random.NextDouble() - 0.5) * 0.04f).ToArray())]);
        var honest = Enumerable.Range(0, 4).Select(i => new ClientUpdate($"honest-{i}", 10 * (i + 1), Delta(), NoMetrics)).ToList();
        var scaled = Delta().Tensors[0].Values.Select(v => v * 1e6f).ToArray();
        var byzantine = new ClientUpdate("byzantine", 25, new ModelParameters([new NamedTensor("w", [Size], scaled)]), NoMetrics);
        var global = new ModelParameters([new NamedTensor("w", [Size], Enumerable.Repeat(1f, Size).ToArray())]);
        return (global, honest, byzantine);
    }

    public static TheoryData<string> Robust => ["median", "trimmed_mean", "krum"];

    [Theory]
    [MemberData(nameof(Robust))]
    public void One_scaled_attacker_does_not_move_the_model_while_it_ruins_FedAvg(string name)
    {
        var (global, honest, byzantine) = Federation();
        var reference = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), global, honest).Tensors[0].Values;
        IStrategy strategy = name switch
        {
            "median" => new Median(),
            "trimmed_mean" => new TrimmedMean(new TrimmedMeanOptions(Beta: 0.2)),
            _ => new Krum(new KrumOptions(NumByzantine: 1, NumSelected: 1)),
        };
        var robust = StrategyTestData.Aggregate(strategy, global, [.. honest, byzantine]).Tensors[0].Values;
        var fedAvg = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), global, [.. honest, byzantine]).Tensors[0].Values;
        for (int j = 0; j < Size; j++)
        {
            Assert.InRange(Math.Abs(robust[j] - reference[j]), 0, 0.1 * Math.Abs(reference[j]));
            Assert.True(Math.Abs(fedAvg[j] - reference[j]) > 0.1 * Math.Abs(reference[j]), $"FedAvg coordinate {j} = {fedAvg[j]}");
        }
    }

    [Fact]
    public void Median_and_trimmed_mean_follow_their_definitions()
    {
        var global = TestModels.LogReg([0f, 0f], 10f);
        ClientUpdate[] updates = [Bias("a", 1, 1f), Bias("b", 1, 10f), Bias("c", 1, 3f), Bias("d", 1, 2f)];
        Assert.Equal(12.5f, BiasOf(StrategyTestData.Aggregate(new Median(), global, updates)));                           // 10 + (2 + 3)/2
        Assert.Equal(12.5f, BiasOf(StrategyTestData.Aggregate(new TrimmedMean(new TrimmedMeanOptions(0.25)), global, updates))); // drop 1 and 10
        Assert.Equal(14f, BiasOf(StrategyTestData.Aggregate(new TrimmedMean(new TrimmedMeanOptions(0)), global, updates)));       // plain mean 4
        Assert.Equal(29, TrimmedMean.Trimmed(0.29, 100));
        Assert.Equal(13f, BiasOf(StrategyTestData.Aggregate(new Median(), global, updates[..3])));                            // odd n
    }

    [Fact]
    public void Multi_krum_averages_the_best_scored_and_too_few_updates_fail_clearly()
    {
        var (global, honest, byzantine) = Federation();
        var krum = new Krum(new KrumOptions(NumByzantine: 1, NumSelected: 3));
        var selected = krum.Select([.. honest, byzantine]);
        Assert.Equal(3, selected.Count);
        Assert.DoesNotContain(byzantine, selected);

        var tooFew = Assert.Throws<AggregationException>(() => StrategyTestData.Aggregate(new Krum(new KrumOptions(1, 1)), global, honest));
        Assert.Contains("2·num_byzantine + 2 = 4", tooFew.Message);
        Assert.Contains("got 4", tooFew.Message);
        Assert.Throws<AggregationException>(() => StrategyTestData.Aggregate(new Krum(new KrumOptions(1, 5)), global, [.. honest, byzantine]));
    }
}
