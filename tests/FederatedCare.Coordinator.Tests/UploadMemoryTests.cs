using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Xunit.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using static FederatedCare.Coordinator.Tests.StreamingUploadTests;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Tests that measure the test process's memory: run alone, after the parallel ones, so that no other test's allocations count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "memory-measuring";
}

/// <summary>
/// The memory that uploads in flight hold is bounded by configuration, however many are held open: measured as the live
/// managed memory (GC.GetTotalMemory after a forced full collection: the upload buffers, Kestrel's pooled request buffers and
/// gRPC's are all managed arrays) of the process hosting the coordinator, before and while 40 uploads of 4 MB each are
/// held one chunk short of complete. Unbounded they would hold 160 MB.
/// </summary>
[Collection(MemoryMeasuringCollection.Name)]
public class UploadMemoryTests(ITestOutputHelper output)
{
    private const int Nodes = 40;
    private const int Parameters = 1_000_000; // 4 MB per update in float32
    private const long Budget = 16L << 20;
    private const long BufferBytes = 16L << 20;

    [Fact]
    public async Task Forty_uploads_held_one_chunk_short_of_complete_raise_live_memory_by_less_than_64_MiB_and_the_round_then_completes()
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, $"--Coordinator:Aggregation:BufferedBytesBudget={Budget}",
            $"--Coordinator:Aggregation:UploadBufferBytes={BufferBytes}", "--Coordinator:Aggregation:UploadBufferWaitSeconds=0", "--Coordinator:Limits:UploadIdleSeconds=100000");
        var nodes = new FakeNode[Nodes];
        for (int i = 0; i < Nodes; i++) nodes[i] = await FakeNode.ConnectAsync(coordinator.Channel, $"region-{i:D2}");
        try
        {
            const string job = "held-uploads";
            var spec = Spec(Nodes);
            spec.RoundDeadlineSeconds = 100_000;
            await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
            var initial = TestModels.Random(Parameters, seed: 5);
            var fits = await StartAsync(job, nodes, initial);
            var delta = TestModels.Random(Parameters, seed: 6);
            var chunks = ModelStream.ToChunks(delta, DType.Float32).ToList();
            long baseline = GC.GetTotalMemory(forceFullCollection: true);

            // Every node sends its header, manifest and all data chunks but the last. Those that find no room are
            // refused at once (ResourceExhausted); the others stay open, each holding its update's arrays.
            var calls = new List<AsyncClientStreamingCall<UpdateChunk, UploadUpdateResponse>>();
            for (int i = 0; i < Nodes; i++)
            {
                var call = nodes[i].Client.UploadUpdate(nodes[i].Headers);
                calls.Add(call);
                try
                {
                    await call.RequestStream.WriteAsync(new UpdateChunk { Header = Header(job, fits[i], 10) });
                    foreach (var chunk in chunks.SkipLast(1)) await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException)
                {
                    // Refused while still sending: the status is read below.
                }
            }
            var accumulator = coordinator.Services.GetRequiredService<RoundBoard>().Find(job)!.Accumulator!;
            long updateBytes = Parameters * sizeof(float);
            int Refused() => calls.Count(c => c.ResponseAsync.IsCompleted);
            // Polled until every upload is either refused or holds its arrays (the coordinator's own count of bytes held).
            for (int i = 0; i < 30_000 && Refused() + accumulator.BytesHeld / updateBytes < Nodes; i++) await Task.Delay(10);
            int held = (int)(accumulator.BytesHeld / updateBytes);
            Assert.Equal(Nodes, Refused() + held);
            // What the held uploads keep is the steady state: the refused uploads' request data goes back to Kestrel's pool
            // only after their status was sent, later on a loaded machine. So the least of up to 50 full collections
            // (a condition poll, stopped as soon as the bound holds) is what is measured.
            long raised = long.MaxValue;
            for (int i = 0; i < 50 && raised >= 64L << 20; i++)
            {
                if (i > 0) await Task.Delay(100);
                raised = Math.Min(raised, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
            output.WriteLine($"{held} uploads held ({accumulator.BytesHeld} bytes by the coordinator's count), {Refused()} refused; live memory +{raised / (1 << 20)} MiB");

            Assert.InRange(accumulator.BytesHeld, updateBytes, Budget + BufferBytes);
            Assert.True(raised < 64L << 20, $"{held} uploads held and {Refused()} refused raised live memory by {raised / (1 << 20)} MiB");
            foreach (var call in calls.Where(c => c.ResponseAsync.IsCompleted))
            {
                var refusal = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
                Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
            }

            // The held uploads complete, the refused ones are sent again one at a time: every update counts once.
            var open = calls.Select((c, i) => (Call: c, Node: i)).Where(x => !x.Call.ResponseAsync.IsCompleted).ToList();
            foreach (var (call, _) in open)
            {
                await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunks[^1] });
                await call.RequestStream.CompleteAsync();
                Assert.True((await call.ResponseAsync).Accepted);
            }
            foreach (int i in Enumerable.Range(0, Nodes).Except(open.Select(x => x.Node)))
                Assert.True((await nodes[i].UploadAsync(Header(job, fits[i], 10), delta)).Accepted);
            var global = await GlobalAfterRoundAsync(job, nodes);
            for (int t = 0; t < global.Tensors.Count; t++)
                for (int k = 0; k < global.Tensors[t].Values.Length; k += 997)
                {
                    float exact = initial.Tensors[t].Values[k] + delta.Tensors[t].Values[k];
                    Assert.True(Math.Abs(global.Tensors[t].Values[k] - exact) <= 1e-5f * (1 + Math.Abs(exact)), $"{t}[{k}]");
                }
            foreach (var call in calls) call.Dispose();
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
