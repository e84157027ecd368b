using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Fit rounds whose updates fold into a running sum as they arrive, over real loopback gRPC.</summary>
public class StreamingUploadTests
{
    internal static RegionMetrics Test() => new() { Split = "test", NumExamples = 10, Loss = 0.5, Accuracy = 0.5 };

    internal static JobSpec Spec(int clients, TensorEncoding encoding = TensorEncoding.Float32)
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 1;
        spec.MaxRoundRetries = 0;
        spec.MinFitClients = clients;
        spec.MinAvailableClients = clients;
        spec.UpdateEncoding = encoding;
        spec.Strategy = new StrategySpec { Name = "fedavg" };
        return spec;
    }

    // Round 0 (node 0 uploads the initial model, everyone evaluates); returns each node's fit task of round 1.
    internal static async Task<List<NodeTask>> StartAsync(string job, FakeNode[] nodes, ModelParameters initial)
    {
        await nodes[0].NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        await nodes[0].UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 1 }, initial);
        foreach (var node in nodes)
        {
            await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            await node.ReportAsync(job, 0, Test());
        }
        var fits = new List<NodeTask>();
        foreach (var node in nodes) fits.Add(await node.NextTaskAsync(NodeTask.KindOneofCase.Fit));
        return fits;
    }

    internal static async Task<ModelParameters> GlobalAfterRoundAsync(string job, FakeNode[] nodes)
    {
        ModelParameters? global = null;
        foreach (var node in nodes)
        {
            var eval = await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            global ??= await node.DownloadAsync(job, eval.ModelSha256);
            await node.ReportAsync(job, 1, Test());
        }
        return global!;
    }

    internal static UpdateHeader Header(string job, NodeTask fit, long n) =>
        new() { JobId = job, Round = 1, BaseModelSha256 = fit.ModelSha256, Kind = UpdateKind.Delta, NumExamples = n };

    [Fact]
    public async Task A_20_MB_model_completes_a_four_client_fedavg_round_equal_to_in_memory_fedavg()
    {
        // 5 M parameters = 20 MB per update, above the 16 MiB streaming threshold: updates fold as they arrive.
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        var nodes = new FakeNode[4];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = await FakeNode.ConnectAsync(coordinator.Channel, $"region-{i}");
        try
        {
            const string job = "big-fedavg";
            await operators.StartJobAsync(new StartJobRequest { Spec = Spec(4), JobId = job });
            var initial = TestModels.Random(5_000_000, seed: 1);
            var fits = await StartAsync(job, nodes, initial);
            var updates = new List<ClientUpdate>();
            await Task.WhenAll(nodes.Select((node, i) =>
            {
                var delta = TestModels.Random(5_000_000, seed: 10 + i);
                lock (updates) updates.Add(new ClientUpdate(node.Region, 10 + 7 * i, delta, new Dictionary<string, double>()));
                return node.UploadAsync(Header(job, fits[i], 10 + 7 * i), delta);
            }));

            var global = await GlobalAfterRoundAsync(job, nodes);
            var expected = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), initial, updates);
            for (int t = 0; t < expected.Tensors.Count; t++)
                Assert.Equal(expected.Tensors[t].Values, global.Tensors[t].Values, (a, b) => Math.Abs(a - b) <= 1e-6f + 1e-6f * Math.Abs(a));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_upload_left_idle_midway_is_dropped_after_the_idle_timeout_and_frees_the_round_for_the_others()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        // Streaming with one upload buffer, which A's idle upload holds; the whole-upload deadline beyond the clock's
        // moves, so that only the idle limit can drop it.
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time, "--Coordinator:Aggregation:BufferedBytesBudget=0",
            "--Coordinator:Aggregation:UploadBufferBytes=1", "--Coordinator:Aggregation:UploadBufferWaitSeconds=0", "--Coordinator:NodeTimeoutSeconds=1000000", "--Coordinator:Limits:UploadDeadlineSeconds=1000000");
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var a = await FakeNode.ConnectAsync(coordinator.Channel, "A");
        await using var b = await FakeNode.ConnectAsync(coordinator.Channel, "B");
        FakeNode[] nodes = [a, b];
        const string job = "idle-upload";
        var spec = Spec(2);
        spec.RoundDeadlineSeconds = 1_000_000;
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
        var fits = await StartAsync(job, nodes, TestModels.LogReg([1f, 2f], 0.5f));
        var deltaA = TestModels.LogReg([0.3f, -0.6f], 1.0f);
        var deltaB = TestModels.LogReg([-0.2f, 0.4f], -1.0f);

        // A sends its header, manifest and first data chunk, then nothing, holding the round's one upload buffer.
        using var idle = a.Client.UploadUpdate(a.Headers);
        await idle.RequestStream.WriteAsync(new UpdateChunk { Header = Header(job, fits[0], 30) });
        foreach (var chunk in ModelStream.ToChunks(deltaA, DType.Float32, 4).Take(2)) await idle.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });

        // The idle timer runs on the fake clock: move it on until A's upload is dropped (the timer may start late).
        for (int step = 0; step < 10_000 && !idle.ResponseAsync.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.Yield();
        }
        var dropped = await Assert.ThrowsAsync<RpcException>(() => idle.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, dropped.StatusCode);
        Assert.Contains("UploadIdleSeconds", dropped.Status.Detail);
        // The buffer is free again: B's update goes in, and A's sent again counts in full.
        Assert.True((await b.UploadAsync(Header(job, fits[1], 70), deltaB)).Accepted);
        Assert.True((await a.UploadAsync(Header(job, fits[0], 30), deltaA)).Accepted);

        var global = await GlobalAfterRoundAsync(job, nodes);
        var expected = TestModels.LogReg([1 + (30 * 0.3f + 70 * -0.2f) / 100, 2 + (30 * -0.6f + 70 * 0.4f) / 100], 0.5f + (30 - 70) / 100f);
        Assert.Equal(expected.Tensors.SelectMany(t => t.Values), global.Tensors.SelectMany(t => t.Values), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public async Task Rejected_and_cut_off_uploads_leave_the_sum_untouched_and_a_retry_counts_once()
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, "--Coordinator:Aggregation:BufferedBytesBudget=0");
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var a = await FakeNode.ConnectAsync(coordinator.Channel, "A");
        await using var b = await FakeNode.ConnectAsync(coordinator.Channel, "B");
        FakeNode[] nodes = [a, b];
        const string job = "streaming-rejects";
        await operators.StartJobAsync(new StartJobRequest { Spec = Spec(2), JobId = job });
        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        var fits = await StartAsync(job, nodes, initial);
        var deltaA = TestModels.LogReg([0.3f, -0.6f], 1.0f);
        var deltaB = TestModels.LogReg([-0.2f, 0.4f], -1.0f);

        // NaN in the last chunk: rejected after earlier chunks were decoded.
        var poisoned = TestModels.LogReg([0.3f, -0.6f], float.NaN);
        var nan = await Assert.ThrowsAsync<RpcException>(() => a.UploadAsync(Header(job, fits[0], 30), poisoned));
        Assert.Equal(StatusCode.InvalidArgument, nan.StatusCode);
        Assert.Contains("non-finite", nan.Status.Detail);

        // A payload that does not match its manifest's SHA-256.
        var chunks = ModelStream.ToChunks(deltaA, DType.Float32, 4).ToList();
        chunks[0].Manifest.Sha256 = new string('0', 64);
        var hash = await Assert.ThrowsAsync<RpcException>(() => UploadChunksAsync(a, Header(job, fits[0], 30), chunks, complete: true));
        Assert.Contains("SHA-256 mismatch", hash.Status.Detail);

        // Cut off midway (the client goes away after the first data chunk), then retried in full, then repeated.
        var cut = ModelStream.ToChunks(deltaA, DType.Float32, 4).Take(2).ToList();
        await Assert.ThrowsAnyAsync<Exception>(() => UploadChunksAsync(a, Header(job, fits[0], 30), cut, complete: false));
        Assert.True((await a.UploadAsync(Header(job, fits[0], 30), deltaA)).Accepted);
        Assert.True((await a.UploadAsync(Header(job, fits[0], 30), deltaA)).Duplicate);
        Assert.True((await b.UploadAsync(Header(job, fits[1], 70), deltaB)).Accepted);

        var global = await GlobalAfterRoundAsync(job, nodes);
        // w + (30·Δ_A + 70·Δ_B) / 100
        var expected = TestModels.LogReg([1 + (30 * 0.3f + 70 * -0.2f) / 100, 2 + (30 * -0.6f + 70 * 0.4f) / 100], 0.5f + (30 - 70) / 100f);
        Assert.Equal(expected.Tensors.SelectMany(t => t.Values), global.Tensors.SelectMany(t => t.Values), (x, y) => Math.Abs(x - y) < 1e-6);
        var rounds = await new Research.ResearchClient(coordinator.Channel).ListRoundsAsync(new ListRoundsRequest { JobId = job });
        Assert.Equal(100, rounds.Rounds.Single(r => r.Round == 1).NumExamples);
    }

    [Fact]
    public async Task A_float16_encoded_round_stays_within_the_documented_error()
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, "--Coordinator:Aggregation:BufferedBytesBudget=0");
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var a = await FakeNode.ConnectAsync(coordinator.Channel, "A");
        const string job = "fp16";
        await operators.StartJobAsync(new StartJobRequest { Spec = Spec(1, TensorEncoding.Float16), JobId = job });
        var initial = TestModels.Random(50_000, seed: 3);
        var fits = await StartAsync(job, [a], initial);
        Assert.Equal(TensorEncoding.Float16, fits[0].Fit.UpdateEncoding);
        var delta = TestModels.Random(50_000, seed: 4);
        using (var call = a.Client.UploadUpdate(a.Headers))
        {
            await call.RequestStream.WriteAsync(new UpdateChunk { Header = Header(job, fits[0], 5) });
            foreach (var chunk in ModelStream.ToChunks(delta, DType.Float16)) await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });
            await call.RequestStream.CompleteAsync();
            Assert.True((await call.ResponseAsync).Accepted);
        }
        var global = await GlobalAfterRoundAsync(job, [a]);
        for (int t = 0; t < global.Tensors.Count; t++)
            for (int i = 0; i < global.Tensors[t].Values.Length; i++)
            {
                float exact = initial.Tensors[t].Values[i] + delta.Tensors[t].Values[i];
                float bound = Math.Abs(delta.Tensors[t].Values[i]) * MathF.Pow(2, -11) + MathF.Pow(2, -25) + 2e-7f * Math.Abs(exact);
                Assert.True(Math.Abs(global.Tensors[t].Values[i] - exact) <= bound, $"{t}[{i}]");
            }
    }

    private static async Task UploadChunksAsync(FakeNode node, UpdateHeader header, IEnumerable<ModelChunk> chunks, bool complete)
    {
        using var cts = new CancellationTokenSource();
        using var call = node.Client.UploadUpdate(node.Headers, cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new UpdateChunk { Header = header });
        foreach (var chunk in chunks) await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });
        if (!complete)
        {
            await Task.Delay(100);
            cts.Cancel();
        }
        else
        {
            await call.RequestStream.CompleteAsync();
        }
        await call.ResponseAsync;
    }
}
