using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A SCAFFOLD job with cross-site validation over real gRPC: the control variate download, the upload layout, the matrix.</summary>
public class ScaffoldJobTests
{
    private static RegionMetrics Test(long n, double accuracy) => new() { Split = "test", NumExamples = n, Loss = 0.5, Accuracy = accuracy };

    [Fact]
    public async Task Nodes_download_c_upload_control_deltas_and_cross_validate_global_and_local_models()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var cleveland = await FakeNode.ConnectAsync(coordinator.Channel, "Cleveland");
        await using var switzerland = await FakeNode.ConnectAsync(coordinator.Channel, "Switzerland");
        FakeNode[] nodes = [cleveland, switzerland];

        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 1;
        spec.MaxRoundRetries = 0;
        spec.CrossSiteValidation = true;
        spec.Strategy = new StrategySpec { Name = "scaffold" };
        const string job = "scaffold-1";
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });

        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        await cleveland.UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 199 }, initial);
        foreach (var node in nodes) await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
        await cleveland.ReportAsync(job, 0, Test(99, 0.6));
        await switzerland.ReportAsync(job, 0, Test(13, 0.4));

        // Round 1: c = 0 is downloadable by its SHA-256; an upload without control deltas is refused.
        var deltas = new Dictionary<string, ModelParameters>
        {
            ["Cleveland"] = TestModels.LogReg([-0.2f, 0.4f], -1.0f),
            ["Switzerland"] = TestModels.LogReg([0.3f, -0.6f], 1.0f),
        };
        foreach (var node in nodes)
        {
            var fit = await node.NextTaskAsync(NodeTask.KindOneofCase.Fit);
            Assert.Equal("scaffold", fit.Fit.Strategy.Name);
            var c = await node.DownloadAsync(job, fit.Fit.ServerControlSha256);
            Assert.Equal(["linear.weight", "linear.bias"], c.Tensors.Select(t => t.Name));
            Assert.All(c.Tensors.SelectMany(t => t.Values), v => Assert.Equal(0f, v));

            var header = new UpdateHeader { JobId = job, Round = 1, BaseModelSha256 = fit.ModelSha256, Kind = UpdateKind.Delta, NumExamples = 50 };
            var plain = await Assert.ThrowsAsync<RpcException>(() => node.UploadAsync(header, deltas[node.Region]));
            Assert.Equal(StatusCode.InvalidArgument, plain.StatusCode);
            Assert.Contains("control_delta/linear.bias", plain.Status.Detail);

            var upload = new ModelParameters([
                .. deltas[node.Region].Tensors,
                .. TestModels.LogReg([0.1f, 0.1f], 0.1f).Tensors.Select(t => t with { Name = "control_delta/" + t.Name })]);
            Assert.True((await node.UploadAsync(header, upload)).Accepted);
        }

        // x1 = x0 + (50·Δ_C + 50·Δ_S)/100 (η_g = 1): weight [1.05, 1.9], bias 0.5.
        var expectedGlobal = TestModels.LogReg([1.05f, 1.9f], 0.5f);
        foreach (var node in nodes)
        {
            var eval = await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            Assert.Equal("", eval.Evaluate.ModelLabel);
            var global = await node.DownloadAsync(job, eval.ModelSha256);
            Assert.Equal(expectedGlobal.Tensors.SelectMany(t => t.Values), global.Tensors.SelectMany(t => t.Values), (a, b) => Math.Abs(a - b) < 1e-6);
            await node.ReportAsync(job, 1, Test(node.Region == "Cleveland" ? 99 : 13, 0.7));
        }

        // Cross-site: "global" plus each region's local model = x0 + its model delta (control deltas are not part of it).
        foreach (var node in nodes)
        {
            var seen = new Dictionary<string, ModelParameters>();
            for (int i = 0; i < 3; i++)
            {
                var eval = await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
                seen[eval.Evaluate.ModelLabel] = await node.DownloadAsync(job, eval.ModelSha256);
                await node.ReportModelAsync(job, 1, eval.Evaluate.ModelLabel, Test(10, 0.5 + i / 10.0));
            }
            Assert.Equal(["global", "local:Cleveland", "local:Switzerland"], seen.Keys.Order(StringComparer.Ordinal));
            Assert.Equal([0.8f, 2.4f, -0.5f], seen["local:Cleveland"].Tensors.SelectMany(t => t.Values).Select(v => MathF.Round(v, 5)));
            Assert.Equal([1.3f, 1.4f, 1.5f], seen["local:Switzerland"].Tensors.SelectMany(t => t.Values).Select(v => MathF.Round(v, 5)));
        }

        using var watch = operators.WatchJob(new GetJobRequest { JobId = job }, deadline: DateTime.UtcNow.AddSeconds(15));
        JobStatus? last = null;
        await foreach (var e in watch.ResponseStream.ReadAllAsync()) last = e.Status;
        Assert.Equal(JobState.Succeeded, last!.State);
        Assert.Contains("cross-site validation: 6 of 6 cells", last.Message);
        var matrix = await new Research.ResearchClient(coordinator.Channel).GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = job });
        Assert.Equal(6, matrix.Entries.Count);
        Assert.Equal(3, matrix.Entries.Count(e => e.Metrics.Region == "Switzerland"));
    }
}
