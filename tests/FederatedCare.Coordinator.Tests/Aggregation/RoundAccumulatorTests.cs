using FederatedCare.Privacy;
using System.Threading.Channels;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using static FederatedCare.Coordinator.Tests.StrategyTestData;

namespace FederatedCare.Coordinator.Tests.Aggregation;

/// <summary>
/// The round accumulator through its wire entry point (model chunks as they come off the stream) and its in-process
/// one: buffered and streaming rounds, the budget switch, rejected, duplicate and late updates, DP clipping and
/// SCAFFOLD's control deltas.
/// </summary>
public class RoundAccumulatorTests
{
    private static readonly ModelParameters Global = TestModels.Random(40_000, seed: 3);
    private static readonly long UpdateBytes = Global.TotalBytes;

    private static ClientUpdate Update(string region, long n, int seed) => new(region, n, TestModels.Random(40_000, seed), NoMetrics);

    private static readonly ClientUpdate[] Updates = [Update("Cleveland", 30, 11), Update("Hungary", 20, 12), Update("Switzerland", 50, 13), Update("Long Beach", 10, 14)];

    private static RoundAccumulator Accumulator(IStrategy strategy, long budget, ModelParameters? global = null, int available = 4) =>
        RoundAccumulator.Create(strategy, Context(global ?? Global, 1, available, new StrategySpec { Name = strategy.Name }), keepsUpdates: false,
            new AggregationOptions { BufferedBytesBudget = budget });

    private static async IAsyncEnumerable<ModelChunk> Chunks(IEnumerable<ModelChunk> chunks)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            yield return chunk;
        }
    }

    private static Task<UploadOutcome> Upload(RoundAccumulator accumulator, IRoundAdmission round, ClientUpdate update, IEnumerable<ModelChunk>? chunks = null)
    {
        var model = update.ControlDelta is null ? update.Delta : new ModelParameters([.. update.Delta.Tensors,
            .. update.ControlDelta.Tensors.Select(t => t with { Name = UpdateLayout.ControlDeltaPrefix + t.Name })]);
        return accumulator.ReceiveAsync(round, new UpdateSender("node-" + update.Region, update.Region, update.NumExamples, update.Metrics),
            Chunks(chunks ?? ModelStream.ToChunks(model, chunkBytes: 10_000)), CancellationToken.None);
    }

    private static async Task<ModelParameters> RunAsync(RoundAccumulator accumulator, IEnumerable<ClientUpdate> updates)
    {
        var ledger = new RoundLedger();
        foreach (var update in updates) Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, update)).Status);
        ledger.Close();
        return accumulator.Finish(Global);
    }

    private static void AssertClose(ModelParameters expected, ModelParameters actual) =>
        Assert.Equal(expected.Tensors.SelectMany(t => t.Values), actual.Tensors.SelectMany(t => t.Values),
            (a, b) => Math.Abs(a - b) <= 1e-6f + 1e-6f * Math.Abs(a));

    [Fact]
    public async Task A_buffered_round_is_bit_identical_whatever_the_arrival_order_and_matches_FedAvg_by_hand()
    {
        var fedAvg = new FedAvg(new FedAvgOptions());
        using var forward = Accumulator(fedAvg, long.MaxValue);
        using var backward = Accumulator(fedAvg, long.MaxValue);
        var a = await RunAsync(forward, Updates);
        var b = await RunAsync(backward, Enumerable.Reverse(Updates));
        Assert.False(forward.IsStreaming);
        Assert.Equal(a.ComputeSha256(), b.ComputeSha256());
        // w + Σ nᵢΔᵢ / Σ nᵢ, element 7 of the first tensor, in float64.
        double expected = Global.Tensors[0].Values[7] + Updates.Sum(u => u.NumExamples * (double)u.Delta.Tensors[0].Values[7]) / 110;
        Assert.Equal(expected, a.Tensors[0].Values[7], 1e-6);
    }

    [Fact]
    public async Task A_streaming_round_folds_on_arrival_and_gives_the_same_mean_up_to_rounding()
    {
        var fedAvg = new FedAvg(new FedAvgOptions());
        using var buffered = Accumulator(fedAvg, long.MaxValue);
        using var streaming = Accumulator(fedAvg, budget: 0);
        var expected = await RunAsync(buffered, Updates);
        var folded = await RunAsync(streaming, Enumerable.Reverse(Updates));
        Assert.True(streaming.IsStreaming);
        AssertClose(expected, folded);
    }

    [Fact]
    public async Task A_round_switches_to_streaming_once_the_updates_held_would_exceed_the_budget()
    {
        using var accumulator = Accumulator(new FedAvg(new FedAvgOptions()), budget: 2 * UpdateBytes + UpdateBytes / 2);
        var ledger = new RoundLedger();
        await Upload(accumulator, ledger, Updates[0]);
        await Upload(accumulator, ledger, Updates[1]);
        Assert.False(accumulator.IsStreaming); // two updates fit
        await Upload(accumulator, ledger, Updates[2]);
        Assert.True(accumulator.IsStreaming);  // a third would not: the two held are folded, then the rest on arrival
        await Upload(accumulator, ledger, Updates[3]);
        // The round's record of answers keeps no values of a round that may stream.
        Assert.All(ledger.Close().Values, u => Assert.Same(ClientUpdate.Folded, u.Delta));
        using var buffered = Accumulator(new FedAvg(new FedAvgOptions()), long.MaxValue);
        AssertClose(await RunAsync(buffered, Updates), accumulator.Finish(Global));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task Rejected_updates_never_touch_the_aggregate(long budget)
    {
        using var accumulator = Accumulator(new FedAvg(new FedAvgOptions()), budget);
        var ledger = new RoundLedger();
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Updates[0])).Status);

        var bad = Updates[1];
        var nan = bad with { Delta = bad.Delta.Clone() };
        nan.Delta.Tensors[0].Values[12_345] = float.NaN;
        var rejected = await Upload(accumulator, ledger, nan);
        Assert.Equal(UploadStatus.Invalid, rejected.Status);
        Assert.Contains("non-finite", rejected.Reason);

        var chunks = ModelStream.ToChunks(bad.Delta, chunkBytes: 10_000).ToList();
        var truncated = await Upload(accumulator, ledger, bad, chunks[..^1]);
        Assert.Contains("ended after", truncated.Reason);
        var corrupt = chunks.Select(c => c.Clone()).ToList();
        corrupt[^1].Data = Google.Protobuf.ByteString.CopyFrom(corrupt[^1].Data.Span.ToArray().Select(x => (byte)~x).ToArray());
        var mismatch = await Upload(accumulator, ledger, bad, corrupt);
        Assert.Contains("mismatch", mismatch.Reason);
        var wrongShape = await Upload(accumulator, ledger, bad with { Delta = TestModels.LogReg([1f, 2f], 3f) });
        Assert.Contains("expects", wrongShape.Reason);
        var noManifest = await Upload(accumulator, ledger, bad, chunks[1..]);
        Assert.Contains("manifest", noManifest.Reason);

        // The rejected node may still send a good update, and the result is as if the bad ones never came.
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, bad)).Status);
        ledger.Close();
        using var clean = Accumulator(new FedAvg(new FedAvgOptions()), budget);
        AssertClose(await RunAsync(clean, Updates[..2]), accumulator.Finish(Global));
    }

    [Fact]
    public async Task A_model_over_the_size_limit_is_refused_from_its_manifest()
    {
        using var accumulator = RoundAccumulator.Create(new FedAvg(new FedAvgOptions()), Context(Global, 1, 4, new StrategySpec { Name = "fedavg" }),
            keepsUpdates: false, new AggregationOptions { MaxModelBytes = UpdateBytes - 1 });
        var outcome = await Upload(accumulator, new RoundLedger(), Updates[0]);
        Assert.Equal(UploadStatus.Invalid, outcome.Status);
        Assert.Contains("more than the", outcome.Reason);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task A_retried_update_counts_once_and_a_late_one_not_at_all(long budget)
    {
        using var accumulator = Accumulator(new FedAvg(new FedAvgOptions()), budget);
        var ledger = new RoundLedger();
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Updates[0])).Status);
        Assert.Equal(UploadStatus.Duplicate, (await Upload(accumulator, ledger, Updates[0])).Status);
        Assert.Equal(UploadStatus.Duplicate, accumulator.Receive(ledger, "node-" + Updates[0].Region, Updates[0]).Status);
        ledger.Close();
        Assert.Equal(UploadStatus.Closed, (await Upload(accumulator, ledger, Updates[1])).Status);
        // w + Δ: the one update, counted once.
        var next = accumulator.Finish(Global);
        Assert.Equal(Global.Tensors[0].Values[3] + Updates[0].Delta.Tensors[0].Values[3], next.Tensors[0].Values[3], 1e-6f);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task A_second_upload_that_is_not_byte_identical_is_a_conflict_and_changes_nothing(long budget)
    {
        using var accumulator = Accumulator(new FedAvg(new FedAvgOptions()), budget);
        var ledger = new RoundLedger();
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Updates[0])).Status);

        var nan = Updates[0] with { Delta = TestModels.Random(40_000, 11) };
        nan.Delta.Tensors[0].Values[5] = float.NaN;
        var other = await Upload(accumulator, ledger, Updates[0] with { Delta = TestModels.Random(40_000, 99) });
        Assert.Equal(UploadStatus.Conflict, other.Status);
        Assert.Contains("already has an update from Cleveland", other.Reason);
        Assert.Contains("payload", other.Reason);
        // Read, not skipped: an update with a NaN or a heavier claim is no retry.
        Assert.Equal(UploadStatus.Conflict, (await Upload(accumulator, ledger, nan)).Status);
        var heavier = await Upload(accumulator, ledger, Updates[0] with { NumExamples = 1_000_000_000_000 });
        Assert.Equal(UploadStatus.Conflict, heavier.Status);
        Assert.Contains("num_examples", heavier.Reason);
        // A retry whose payload does not hash to its manifest is malformed, not a retry.
        var chunks = ModelStream.ToChunks(Updates[0].Delta, chunkBytes: 10_000).ToList();
        var data = chunks[1].Data.ToByteArray();
        data[0] ^= 1;
        chunks[1] = new ModelChunk { Data = Google.Protobuf.ByteString.CopyFrom(data) };
        Assert.Equal(UploadStatus.Invalid, (await Upload(accumulator, ledger, Updates[0], chunks)).Status);
        Assert.Equal(UploadStatus.Duplicate, (await Upload(accumulator, ledger, Updates[0])).Status);

        ledger.Close();
        var next = accumulator.Finish(Global);
        Assert.Equal(Global.Tensors[0].Values[3] + Updates[0].Delta.Tensors[0].Values[3], next.Tensors[0].Values[3], 1e-6f);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task Server_side_clipping_scales_each_update_to_C_and_averages_unweighted(long budget)
    {
        // Δ_A = ([3, 0], 4) has norm 5 and is clipped to ([0.6, 0], 0.8); Δ_B = ([0.2, 0], 0) is within C = 1.
        var global = TestModels.LogReg([0f, 0f], 0f);
        var dp = new DpFedAvg(new FedAvg(new FedAvgOptions()), new PrivacySettings(1, 0, false, 1e-5), new NoiseKey(new byte[32]), "job", 1);
        using var accumulator = Accumulator(dp, budget, global, available: 2);
        var ledger = new RoundLedger();
        await Upload(accumulator, ledger, new ClientUpdate("A", 100, TestModels.LogReg([3f, 0f], 4f), NoMetrics));
        await Upload(accumulator, ledger, new ClientUpdate("B", 1, TestModels.LogReg([0.2f, 0f], 0f), NoMetrics));
        Assert.Equal(5.0, ledger.Close()["node-A"].DeltaNorm);
        var next = accumulator.Finish(global);
        Assert.Equal(0.4f, next.Tensors[0].Values[0], 1e-6f); // (0.6 + 0.2) / 2, num_examples ignored
        Assert.Equal(0.4f, BiasOf(next), 1e-6f);              // (0.8 + 0) / 2
    }

    [Fact]
    public async Task Client_side_clipping_refuses_an_update_longer_than_C_naming_region_and_norm()
    {
        var global = TestModels.LogReg([0f, 0f], 0f);
        var dp = new DpFedAvg(new FedAvg(new FedAvgOptions()), new PrivacySettings(1, 0, true, 1e-5), new NoiseKey(new byte[32]), "job", 1);
        using var accumulator = Accumulator(dp, long.MaxValue, global, available: 2);
        var ledger = new RoundLedger();
        var refused = await Upload(accumulator, ledger, new ClientUpdate("A", 1, TestModels.LogReg([3f, 0f], 4f), NoMetrics));
        Assert.Equal(UploadStatus.Invalid, refused.Status);
        Assert.Contains("Region 'A'", refused.Reason);
        Assert.Contains("norm 5", refused.Reason);
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, new ClientUpdate("B", 1, TestModels.LogReg([0.6f, 0f], 0.8f), NoMetrics))).Status);
        ledger.Close();
        Assert.Equal(0.8f, BiasOf(accumulator.Finish(global)), 1e-6f); // B alone
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public async Task Scaffold_control_deltas_are_averaged_unweighted_beside_the_weighted_model_delta(long budget)
    {
        // ScaffoldTests' round 1 over the wire: x1 = 1 + 0.5·(1·4 + 3·0)/4 = 1.5; c1 = (2/3)·(0.6 − 0.3)/2 = 0.1.
        var scaffold = new Scaffold(new ScaffoldOptions(ServerLearningRate: 0.5));
        var x0 = TestModels.LogReg([1f, 2f], 1f);
        scaffold.ConfigureFit(Context(x0, 1, 3, new StrategySpec { Name = "scaffold" }));
        using var accumulator = Accumulator(scaffold, budget, x0, available: 3);
        var ledger = new RoundLedger();
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Bias("A", 1, 4f, 0.6f))).Status);
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Bias("B", 3, 0f, -0.3f))).Status);
        var withoutControl = await Upload(accumulator, ledger, Bias("C", 1, 1f));
        Assert.Contains("control_delta/linear.weight", withoutControl.Reason);
        ledger.Close();
        var x1 = accumulator.Finish(x0);
        Assert.Equal(1.5, BiasOf(x1), 1e-6);
        Assert.Equal(0.1, BiasOf(scaffold.ServerState["c"]), 1e-6);
    }

    [Fact]
    public async Task A_streaming_round_refuses_an_upload_at_once_when_every_buffer_within_the_bound_is_leased()
    {
        // Room for two buffers of one update size: two uploads are decoded at once, a third is refused without waiting.
        using var accumulator = RoundAccumulator.Create(new FedAvg(new FedAvgOptions()), Context(Global, 1, 4, new StrategySpec { Name = "fedavg" }),
            keepsUpdates: false, new AggregationOptions { BufferedBytesBudget = 0, UploadBufferBytes = 2 * UpdateBytes + 1, UploadBufferWaitSeconds = 0 });
        var ledger = new RoundLedger();
        var held = new List<(Channel<ModelChunk> Chunks, Task<UploadOutcome> Outcome, List<ModelChunk> All)>();
        foreach (var (update, node) in new[] { (Updates[0], "node-a"), (Updates[1], "node-b") })
        {
            var chunks = Channel.CreateUnbounded<ModelChunk>();
            var all = ModelStream.ToChunks(update.Delta, chunkBytes: 10_000).ToList();
            await chunks.Writer.WriteAsync(all[0]); // the manifest: this upload holds a buffer from now on
            held.Add((chunks, accumulator.ReceiveAsync(ledger, new UpdateSender(node, update.Region, update.NumExamples, NoMetrics),
                chunks.Reader.ReadAllAsync(), CancellationToken.None), all));
        }
        var refused = await Upload(accumulator, ledger, Updates[2]);
        Assert.Equal(UploadStatus.Busy, refused.Status);
        Assert.Contains("UploadBufferBytes", refused.Reason);
        Assert.False(ledger.HasUpdateFrom("node-" + Updates[2].Region));

        // The held uploads complete; their buffers are free again, and the refused update goes in when sent again.
        foreach (var (chunks, outcome, all) in held)
        {
            foreach (var chunk in all.Skip(1)) await chunks.Writer.WriteAsync(chunk);
            chunks.Writer.Complete();
            Assert.Equal(UploadStatus.Accepted, (await outcome).Status);
        }
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Updates[2])).Status);
        Assert.Equal(UploadStatus.Accepted, (await Upload(accumulator, ledger, Updates[3])).Status);
        ledger.Close();
        var expected = Aggregate(new FedAvg(new FedAvgOptions()), Global, Updates);
        var global = accumulator.Finish(Global);
        for (int t = 0; t < expected.Tensors.Count; t++)
            Assert.Equal(expected.Tensors[t].Values, global.Tensors[t].Values, (a, b) => Math.Abs(a - b) <= 1e-6f + 1e-6f * Math.Abs(a));
    }

    [Fact]
    public void An_update_larger_than_the_upload_buffer_bound_still_gets_one_buffer()
    {
        var pool = new UploadBufferPool([1000], maxBytes: 10);
        using var first = pool.TryRent();
        Assert.NotNull(first);
        Assert.Null(pool.TryRent());
        Assert.Equal(4000, pool.LeasedBytes);
        first!.Dispose();
        Assert.Equal(0, pool.LeasedBytes);
        using var again = pool.TryRent();
        Assert.Same(first.Arrays, again!.Arrays); // reused, not allocated again
        pool.Dispose();
    }

    [Fact]
    public void Robust_strategies_keep_every_update_whatever_the_budget()
    {
        using var accumulator = Accumulator(new Median(), budget: 0);
        var ledger = new RoundLedger();
        foreach (var u in Updates) Assert.Equal(UploadStatus.Accepted, accumulator.Receive(ledger, u.Region, u).Status);
        Assert.False(accumulator.IsStreaming);
        ledger.Close();
        Assert.Equal(Aggregate(new Median(), Global, Updates).ComputeSha256(), accumulator.Finish(Global).ComputeSha256());
    }

    [Fact]
    public void In_process_callers_learn_whether_the_round_keeps_their_arrays()
    {
        // Budget for two updates: the first two are held, the third switches the round to streaming (folding the held
        // two), and the third and later ones are folded and dropped, so their arrays are the caller's to reuse.
        using var fedAvg = Accumulator(new FedAvg(new FedAvgOptions()), budget: 2 * UpdateBytes);
        var ledger = new RoundLedger();
        var kept = Updates.Select(u => Kept(fedAvg, u)).ToList();
        Assert.Equal([true, true, false, false], kept);
        Assert.True(fedAvg.IsStreaming);
        // A repeated update is not taken, so its arrays are not kept either.
        Assert.False(fedAvg.Receive(ledger, Updates[0].Region, Updates[0]).KeepsCallerArrays);
        // Robust strategies keep every update whole for the round's end.
        using var median = Accumulator(new Median(), budget: 0);
        var medianLedger = new RoundLedger();
        Assert.All(Updates, u => Assert.True(median.Receive(medianLedger, u.Region, u).KeepsCallerArrays));

        bool Kept(RoundAccumulator a, ClientUpdate u)
        {
            var outcome = a.Receive(ledger, u.Region, u);
            Assert.Equal(UploadStatus.Accepted, outcome.Status);
            return outcome.KeepsCallerArrays;
        }
    }

    [Fact]
    public void In_process_updates_are_checked_like_wire_ones()
    {
        using var accumulator = Accumulator(new FedAvg(new FedAvgOptions()), long.MaxValue);
        var ledger = new RoundLedger();
        var nan = Updates[0] with { Delta = Updates[0].Delta.Clone() };
        nan.Delta.Tensors[1].Values[0] = float.PositiveInfinity;
        Assert.Equal(UploadStatus.Invalid, accumulator.Receive(ledger, "a", nan).Status);
        Assert.Equal(UploadStatus.Invalid, accumulator.Receive(ledger, "a", Updates[0] with { Delta = TestModels.LogReg([1f, 2f], 0f) }).Status);
        Assert.Empty(ledger.Close());
    }
}
