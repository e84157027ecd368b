using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using FederatedCare.Federation.Core.Jobs;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static FederatedCare.Coordinator.Tests.StreamingUploadTests;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// Per-node upload limits in streaming rounds, over real loopback gRPC on a fake clock: an upload held open never holds
/// the round, a whole-upload deadline, upload buffers refused at once when none is free, and one open upload per node
/// and round (a newer one replaces it). Every status is asserted, and the global model is the exact weighted mean of
/// the updates accepted.
/// </summary>
public class UploadLimitsTests
{
    private static readonly ModelParameters Initial = TestModels.LogReg([1f, 2f], 0.5f);

    private static ModelParameters Delta(int i) => TestModels.LogReg([0.1f * (i + 1), -0.2f * i], 0.3f * i - 0.5f);

    // w + Σ nᵢΔᵢ / Σ nᵢ over the accepted updates.
    private static float[] Mean(IEnumerable<(ModelParameters Delta, long N)> accepted)
    {
        var list = accepted.ToList();
        double total = list.Sum(u => u.N);
        var initial = Initial.Tensors.SelectMany(t => t.Values).ToArray();
        return initial.Select((w, k) => (float)(w + list.Sum(u => u.N * (double)u.Delta.Tensors.SelectMany(t => t.Values).ElementAt(k)) / total)).ToArray();
    }

    private static void AssertGlobal(float[] expected, ModelParameters global) =>
        Assert.Equal(expected, global.Tensors.SelectMany(t => t.Values), (x, y) => Math.Abs(x - y) < 1e-6);

    // Header, manifest and the first data chunk of the update, then nothing: the upload stays open, one chunk (or more) short.
    private static async Task<AsyncClientStreamingCall<UpdateChunk, UploadUpdateResponse>> HoldAsync(FakeNode node, UpdateHeader header, ModelParameters delta)
    {
        var call = node.Client.UploadUpdate(node.Headers);
        await call.RequestStream.WriteAsync(new UpdateChunk { Header = header });
        foreach (var chunk in ModelStream.ToChunks(delta, DType.Float32, 4).Take(2)) await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });
        return call;
    }

    // Polls until the open fit round of the job holds bytes for an update: the held upload has leased its buffer.
    private static async Task BufferLeasedAsync(TestCoordinator coordinator, string job)
    {
        var board = coordinator.Services.GetRequiredService<RoundBoard>();
        for (int i = 0; i < 30_000 && board.Find(job)?.Accumulator?.BytesHeld is not > 0; i++) await Task.Delay(10);
        Assert.True(board.Find(job)?.Accumulator?.BytesHeld > 0, "the held upload never leased a buffer");
    }

    private static async Task<RpcException> RefusalAsync(AsyncClientStreamingCall<UpdateChunk, UploadUpdateResponse> call) =>
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

    private static async Task<FakeNode[]> ConnectAsync(TestCoordinator coordinator, int count)
    {
        var nodes = new FakeNode[count];
        for (int i = 0; i < count; i++) nodes[i] = await FakeNode.ConnectAsync(coordinator.Channel, $"region-{i}");
        return nodes;
    }

    private static async Task<RoundSummary> RoundAsync(TestCoordinator coordinator, string job, int round) =>
        (await new Research.ResearchClient(coordinator.Channel).ListRoundsAsync(new ListRoundsRequest { JobId = job })).Rounds.Single(r => r.Round == round);

    [Fact]
    public async Task An_upload_held_open_and_idle_through_a_streaming_round_does_not_hold_it_the_round_ends_at_its_deadline_with_the_other_three()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Streaming from the first update; the idle and whole-upload limits far beyond the round, so only the round's
        // deadline can end it.
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time, "--Coordinator:Aggregation:BufferedBytesBudget=0",
            "--Coordinator:NodeTimeoutSeconds=1000000", "--Coordinator:Limits:UploadIdleSeconds=1000000", "--Coordinator:Limits:UploadDeadlineSeconds=1000000");
        var nodes = await ConnectAsync(coordinator, 4);
        try
        {
            const string job = "idle-through-round";
            var spec = Spec(4);
            spec.MinFitClients = 3;
            spec.RoundDeadlineSeconds = 100;
            await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
            var fits = await StartAsync(job, nodes, Initial);

            using var idle = await HoldAsync(nodes[0], Header(job, fits[0], 40), Delta(0));
            for (int i = 1; i < 4; i++)
            {
                var response = await nodes[i].UploadAsync(Header(job, fits[i], 10 * i), Delta(i));
                Assert.True(response.Accepted && !response.Duplicate, $"region-{i}");
            }
            Assert.False(idle.ResponseAsync.IsCompleted);
            // The round's deadline passes (it was armed when the round opened): it ends with the three updates.
            time.Advance(TimeSpan.FromSeconds(101));
            var global = await GlobalAfterRoundAsync(job, nodes);
            AssertGlobal(Mean(Enumerable.Range(1, 3).Select(i => (Delta(i), 10L * i))), global);
            var round = await RoundAsync(coordinator, job, 1);
            Assert.Equal(["region-1", "region-2", "region-3"], round.Participants);
            Assert.Equal(60, round.NumExamples);

            // The held upload, completed after the round closed, is stale.
            foreach (var chunk in ModelStream.ToChunks(Delta(0), DType.Float32, 4).Skip(2)) await idle.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });
            await idle.RequestStream.CompleteAsync();
            var stale = await RefusalAsync(idle);
            Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
            Assert.Contains("Stale", stale.Status.Detail);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_free_upload_buffer_an_upload_is_refused_at_once_and_an_upload_open_past_its_deadline_is_dropped()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // One buffer at a time (a bound smaller than one update), and a whole-upload deadline of 60 s well inside the idle limit.
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time, "--Coordinator:Aggregation:BufferedBytesBudget=0",
            "--Coordinator:Aggregation:UploadBufferBytes=1", "--Coordinator:Aggregation:UploadBufferWaitSeconds=0", "--Coordinator:NodeTimeoutSeconds=1000000",
            "--Coordinator:Limits:UploadIdleSeconds=1000000", "--Coordinator:Limits:UploadDeadlineSeconds=60");
        var nodes = await ConnectAsync(coordinator, 2);
        try
        {
            const string job = "upload-deadline";
            var spec = Spec(2);
            spec.RoundDeadlineSeconds = 1_000_000;
            await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
            var fits = await StartAsync(job, nodes, Initial);

            using var open = await HoldAsync(nodes[0], Header(job, fits[0], 30), Delta(0));
            await BufferLeasedAsync(coordinator, job);
            // Region 1 asks for a buffer while region 0 holds the only one: refused at once, not queued behind it.
            var busy = await Assert.ThrowsAsync<RpcException>(() => nodes[1].UploadAsync(Header(job, fits[1], 70), Delta(1)));
            Assert.Equal(StatusCode.ResourceExhausted, busy.StatusCode);
            Assert.Contains("UploadBufferBytes", busy.Status.Detail);

            // Region 0's upload is dropped at its whole-upload deadline (the timer may start late: moved on until it fired).
            for (int step = 0; step < 10_000 && !open.ResponseAsync.IsCompleted; step++)
            {
                time.Advance(TimeSpan.FromSeconds(61));
                await Task.Yield();
            }
            var dropped = await RefusalAsync(open);
            Assert.Equal(StatusCode.DeadlineExceeded, dropped.StatusCode);
            Assert.Contains("UploadDeadlineSeconds", dropped.Status.Detail);

            // Its buffer is free again: both updates go in, and count in full.
            Assert.True((await nodes[1].UploadAsync(Header(job, fits[1], 70), Delta(1))).Accepted);
            Assert.True((await nodes[0].UploadAsync(Header(job, fits[0], 30), Delta(0))).Accepted);
            AssertGlobal(Mean([(Delta(0), 30), (Delta(1), 70)]), await GlobalAfterRoundAsync(job, nodes));
            Assert.Equal(100, (await RoundAsync(coordinator, job, 1)).NumExamples);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_retry_after_a_cut_the_coordinator_has_not_noticed_replaces_the_open_upload_and_concurrent_uploads_count_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // One buffer at a time: without the replacement the retry would find the cut upload holding it.
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time, "--Coordinator:Aggregation:BufferedBytesBudget=0",
            "--Coordinator:Aggregation:UploadBufferBytes=1", "--Coordinator:Aggregation:UploadBufferWaitSeconds=0", "--Coordinator:NodeTimeoutSeconds=1000000", "--Coordinator:Limits:UploadIdleSeconds=1000000");
        var nodes = await ConnectAsync(coordinator, 2);
        try
        {
            const string job = "replace-upload";
            var spec = Spec(2);
            spec.RoundDeadlineSeconds = 1_000_000;
            await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
            var fits = await StartAsync(job, nodes, Initial);

            // Region 0's first upload stays open (to the coordinator, a cut it has not noticed); its retry replaces it.
            using var cut = await HoldAsync(nodes[0], Header(job, fits[0], 30), Delta(0));
            await BufferLeasedAsync(coordinator, job);
            var retry = await nodes[0].UploadAsync(Header(job, fits[0], 30), Delta(0));
            Assert.True(retry.Accepted && !retry.Duplicate);
            var aborted = await RefusalAsync(cut);
            Assert.Equal(StatusCode.Aborted, aborted.StatusCode);
            Assert.Contains("replaced", aborted.Status.Detail);

            // Region 1 sends the same update twice at once: whichever way they meet, it is taken once.
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                try { return (await nodes[1].UploadAsync(Header(job, fits[1], 70), Delta(1))).Duplicate ? "duplicate" : "accepted"; }
                // Refused while the other is read, or Stale once the other has completed the round (a busy machine).
                catch (RpcException e) when (e.StatusCode is StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.FailedPrecondition) { return "refused"; }
            }));
            Assert.Single(results, r => r == "accepted");

            AssertGlobal(Mean([(Delta(0), 30), (Delta(1), 70)]), await GlobalAfterRoundAsync(job, nodes));
            var round = await RoundAsync(coordinator, job, 1);
            Assert.Equal(100, round.NumExamples);
            Assert.Equal(["region-0", "region-1"], round.Participants);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
