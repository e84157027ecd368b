using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests.Privacy;

public class DpFedAvgTests
{
    private static readonly NoiseKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static DpFedAvg Dp(double clippingNorm, double noiseMultiplier, IModelDeltaStrategy? inner = null, NoiseKey? key = null,
        string jobId = "job") =>
        new(inner ?? new FedAvg(new FedAvgOptions()), new PrivacySettings(clippingNorm, noiseMultiplier, false, 1e-5), key ?? Key, jobId, seed: 42);

    // Through the production accumulator; the round (whose noise is drawn) is passed, not remembered.
    private static ModelParameters Aggregate(IStrategy dp, ModelParameters global, IReadOnlyList<ClientUpdate> updates, int round = 1) =>
        StrategyTestData.Aggregate(dp, global, updates, round, available: 4);

    private static ClientUpdate Update(string region, long n, ModelParameters delta) => new(region, n, delta, StrategyTestData.NoMetrics);

    private static ModelParameters Zeros(int parameters) => new([new NamedTensor("w", [parameters], new float[parameters])]);

    [Fact]
    public void An_update_longer_than_C_is_scaled_to_exactly_C()
    {
        // Δ = ([3, 0], 4): ‖Δ‖ = 5, C = 1, so Δ·(1/5) = ([0.6, 0], 0.8), whose norm is 1.
        var delta = TestModels.LogReg([3f, 0f], 4f);
        Assert.Equal(5.0, UpdateNorm.L2(delta));
        var next = Aggregate(Dp(1.0, 0), TestModels.LogReg([0f, 0f], 0f), [Update("A", 10, delta)]);
        Assert.Equal([0.6f, 0f], next.Tensors[0].Values);
        Assert.Equal(0.8f, next.Tensors[1].Values[0]);
        Assert.Equal(1.0, UpdateNorm.L2(next), 6);
        Assert.Equal([3f, 0f], delta.Tensors[0].Values); // the update itself is untouched
    }

    [Fact]
    public void An_update_within_C_is_unchanged()
    {
        var global = TestModels.LogReg([1f, 2f], 0.5f);
        var delta = TestModels.LogReg([0.3f, -0.4f], 0f); // ‖Δ‖ = 0.5 < C
        var next = Aggregate(Dp(1.0, 0), global, [Update("A", 10, delta)]);
        Assert.Equal([1f + 0.3f, 2f + -0.4f], next.Tensors[0].Values);
        Assert.Equal(0.5f, next.Tensors[1].Values[0]);
    }

    [Fact]
    public void The_clipped_updates_are_averaged_unweighted()
    {
        // Switzerland (30 examples) and Cleveland (199) count alike: (Δ_S + clip(Δ_C)) / 2, Δ_C = (0, 0, 2) clipped to 1.
        var next = Aggregate(Dp(1.0, 0), TestModels.LogReg([0f, 0f], 0f),
            [Update("Switzerland", 30, TestModels.LogReg([0.4f, 0f], 0f)), Update("Cleveland", 199, TestModels.LogReg([0f, 0f], 2f))]);
        Assert.Equal(0.2f, next.Tensors[0].Values[0]);
        Assert.Equal(0.5f, next.Tensors[1].Values[0]);
    }

    [Fact]
    public void The_noise_has_standard_deviation_z_times_C_over_m()
    {
        // m = 4 zero updates, C = 2, z = 1.5: every coordinate of the result is pure noise with σ = 1.5·2/4 = 0.75.
        const int n = 1_000_000;
        var updates = Enumerable.Range(0, 4).Select(i => Update($"region-{i}", 10, Zeros(n))).ToList();
        var values = Aggregate(Dp(2.0, 1.5), Zeros(n), updates).Tensors[0].Values;
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        // The sample standard deviation of 10⁶ draws is within 0.1 % of σ with overwhelming probability; allow 1 %.
        Assert.InRange(std / 0.75, 0.99, 1.01);
        Assert.InRange(mean, -5 * 0.75 / Math.Sqrt(n), 5 * 0.75 / Math.Sqrt(n));
    }

    [Fact]
    public void A_fixed_key_job_and_round_give_bit_identical_aggregates_and_anything_else_other_noise()
    {
        var global = TestModels.Random(20_000, seed: 1);
        var updates = Enumerable.Range(0, 3).Select(i => Update($"region-{i}", 10 + i, TestModels.Random(20_000, seed: 10 + i))).ToList();
        string Sha(DpFedAvg dp, int round = 1) => Aggregate(dp, global, updates, round).ComputeSha256();

        var first = Sha(Dp(1.0, 1.0));
        Assert.Equal(first, Sha(Dp(1.0, 1.0)));
        Assert.Equal(first, Aggregate(Dp(1.0, 1.0), global, Enumerable.Reverse(updates).ToList()).ComputeSha256());
        Assert.NotEqual(first, Sha(Dp(1.0, 1.0), round: 2));
        Assert.NotEqual(first, Sha(Dp(1.0, 1.0, jobId: "other-job")));
        Assert.NotEqual(first, Sha(Dp(1.0, 1.0, key: new NoiseKey(new byte[32]))));
    }

    [Fact]
    public void Streaming_folds_with_the_clip_factor_and_matches_the_buffered_aggregate()
    {
        var global = TestModels.Random(30_000, seed: 2);
        var updates = Enumerable.Range(0, 4).Select(i => Update($"region-{i}", 5 + i, TestModels.Random(30_000, seed: 20 + i))).ToList();
        var expected = Aggregate(Dp(10.0, 0.5), global, updates);

        var dp = Dp(10.0, 0.5);
        var round = StrategyTestData.Context(global, 1, 4, new StrategySpec { Name = "fedavg" });
        using var streaming = RoundAccumulator.Create(dp, round, keepsUpdates: false, new AggregationOptions { BufferedBytesBudget = 0 });
        var ledger = new RoundLedger();
        foreach (var u in Enumerable.Reverse(updates)) Assert.Equal(UploadStatus.Accepted, streaming.Receive(ledger, u.Region, u).Status);
        Assert.True(streaming.IsStreaming);
        ledger.Close();
        var folded = streaming.Finish(global);

        for (int t = 0; t < expected.Tensors.Count; t++)
            Assert.Equal(expected.Tensors[t].Values, folded.Tensors[t].Values, (a, b) => Math.Abs(a - b) <= 1e-5f + 1e-5f * Math.Abs(a));
    }

    [Fact]
    public void The_server_optimizer_steps_on_the_clipped_mean()
    {
        // z = 0 and equal num_examples: DP-FedAdam equals FedAdam on the clipped updates (weighted = unweighted here).
        var global = TestModels.LogReg([1f, 2f], 0.5f);
        var updates = new[] { Update("A", 10, TestModels.LogReg([3f, 0f], 4f)), Update("B", 10, TestModels.LogReg([0.1f, 0.2f], 0f)) };
        var clipped = new[] { Update("A", 10, TestModels.LogReg([0.6f, 0f], 0.8f)), updates[1] };
        var expected = Aggregate(new FedAdam(new FedOptOptions()), global, clipped);
        var dpAdam = Dp(1.0, 0, new FedAdam(new FedOptOptions()));
        var next = Aggregate(dpAdam, global, updates);
        Assert.Equal(expected.Tensors.SelectMany(t => t.Values), next.Tensors.SelectMany(t => t.Values), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(["m", "v"], dpAdam.ServerState.Keys.Order(StringComparer.Ordinal));
    }
}
