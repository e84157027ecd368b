using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Privacy;

/// <summary>A DP round with client-side clipping over real loopback gRPC, with scripted nodes and a fake clock.</summary>
public class ClientClippingRoundTests
{
    private static RegionMetrics Test() => new() { Split = "test", NumExamples = 10, Loss = 0.5, Accuracy = 0.5 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_update_above_C_is_refused_naming_region_and_norm_and_the_round_goes_on_without_it(bool streaming)
    {
        var time = new FakeTimeProvider();
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time,
            $"--Coordinator:Aggregation:BufferedBytesBudget={(streaming ? 0 : long.MaxValue)}");
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var a = await FakeNode.ConnectAsync(coordinator.Channel, "A");
        await using var b = await FakeNode.ConnectAsync(coordinator.Channel, "B");
        await using var c = await FakeNode.ConnectAsync(coordinator.Channel, "C");
        FakeNode[] nodes = [a, b, c];
        var spec = JobSpecValidationTests.ValidSpec();
        (spec.Rounds, spec.MinFitClients, spec.MinAvailableClients, spec.MaxRoundRetries, spec.RoundDeadlineSeconds) = (1, 2, 3, 0, 2);
        spec.Privacy = new PrivacySpec { ClippingNorm = 1.0, NoiseMultiplier = 0.5, Clipping = ClippingSide.Client };
        const string job = "dp-client";
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });

        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        await a.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        await a.UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 1 }, initial);
        foreach (var node in nodes)
        {
            await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            await node.ReportAsync(job, 0, Test());
        }
        var fits = new List<NodeTask>();
        foreach (var node in nodes) fits.Add(await node.NextTaskAsync(NodeTask.KindOneofCase.Fit));
        Assert.All(fits, f => Assert.Equal(1.0, f.Fit.ClippingNorm));
        UpdateHeader Header(int i) => new() { JobId = job, Round = 1, BaseModelSha256 = fits[i].ModelSha256, Kind = UpdateKind.Delta, NumExamples = 10 };

        // A did not clip: ‖([0, 2], 0)‖ = 2 > C·(1 + 1e-5).
        var refused = await Assert.ThrowsAsync<RpcException>(() => a.UploadAsync(Header(0), TestModels.LogReg([0f, 2f], 0f)));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("Region 'A': the update's L2 norm 2 exceeds the clipping norm C = 1", refused.Status.Detail);
        // B clipped to C (float32 rounding puts it 2.4e-8 above, within the tolerance); C's update is short.
        var deltaB = TestModels.LogReg([0.6f, 0f], 0.8f);
        var deltaC = TestModels.LogReg([0.1f, -0.2f], 0.05f);
        Assert.True((await b.UploadAsync(Header(1), deltaB)).Accepted);
        Assert.True((await c.UploadAsync(Header(2), deltaC)).Accepted);

        // A stays silent; at the deadline (the fake clock passes it) the round aggregates B and C.
        time.Advance(TimeSpan.FromSeconds(spec.RoundDeadlineSeconds + 1));
        ModelParameters? global = null;
        foreach (var node in nodes)
        {
            var eval = await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            global ??= await node.DownloadAsync(job, eval.ModelSha256);
            await node.ReportAsync(job, 1, Test());
        }
        var round = (await new Research.ResearchClient(coordinator.Channel).ListRoundsAsync(new ListRoundsRequest { JobId = job }))
            .Rounds.Single(r => r.Round == 1);
        Assert.Equal(["B", "C"], round.Participants);
        Assert.Equal(1.0, round.Privacy.SamplingRate);       // all 3 available regions were selected
        Assert.Equal(0.5 * 1.0 / 2, round.Privacy.NoiseStddev); // z·C/m with m = 2 updates
        Assert.Equal(1e-5, round.Privacy.Delta);
        Assert.True(double.IsFinite(round.Privacy.Epsilon) && round.Privacy.Epsilon > 0);

        // The same DP-FedAvg with the coordinator's noise key reproduces the global model (exactly without streaming).
        var dp = new DpFedAvg(new FedAvg(new FedAvgOptions()), PrivacySettings.From(spec)!,
            new NoiseKey(Path.Combine(coordinator.DataDirectory, "privacy-noise.key")), job, spec.Seed);
        var context = StrategyTestData.Context(initial, 1, 3, spec.Strategy);
        dp.ConfigureFit(context);
        var expected = RoundAccumulator.Aggregate(dp, context, [new("B", 10, deltaB, StrategyTestData.NoMetrics), new("C", 10, deltaC, StrategyTestData.NoMetrics)]);
        Assert.Equal(expected.Tensors.SelectMany(t => t.Values), global!.Tensors.SelectMany(t => t.Values),
            (x, y) => streaming ? Math.Abs(x - y) <= 1e-6f : x == y);
        using var watch = operators.WatchJob(new GetJobRequest { JobId = job });
        JobStatus? status = null;
        await foreach (var update in watch.ResponseStream.ReadAllAsync()) status = update.Status ?? status;
        Assert.Equal(JobState.Succeeded, status!.State);
        Assert.Contains("privacy ε = ", status.Message);
    }
}
