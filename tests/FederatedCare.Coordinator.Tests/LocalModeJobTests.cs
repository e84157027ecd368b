using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A local-mode job over real gRPC: each region trains alone, then the cross-site matrix is collected.</summary>
public class LocalModeJobTests
{
    private static RegionMetrics Test(long n, double accuracy, double? auc = null)
    {
        var m = new RegionMetrics { Split = "test", NumExamples = n, Loss = 0.5, Accuracy = accuracy };
        if (auc is { } a) m.Extra["auc"] = a;
        return m;
    }

    [Fact]
    public async Task Regions_train_alone_and_every_region_evaluates_every_local_model()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        var research = new Research.ResearchClient(coordinator.Channel);
        await using var cleveland = await FakeNode.ConnectAsync(coordinator.Channel, "Cleveland");
        await using var switzerland = await FakeNode.ConnectAsync(coordinator.Channel, "Switzerland");
        FakeNode[] nodes = [cleveland, switzerland];

        var spec = JobSpecValidationTests.ValidSpec();
        spec.Mode = JobMode.Local;
        spec.Rounds = 7; // not used in local mode: one round of local training
        spec.Strategy = new StrategySpec { Name = "fedprox", Parameters = { ["mu"] = 0.5 } };
        const string job = "local-1";
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
        var watching = WatchAsync(operators, job);

        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        await cleveland.UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 199 }, initial);
        foreach (var node in nodes) await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
        await cleveland.ReportAsync(job, 0, Test(99, 0.6, auc: 0.7));
        await switzerland.ReportAsync(job, 0, Test(13, 0.4)); // one class only: no AUC

        // Round 1: both train alone from the initial model, plainly (no proximal term).
        var deltas = new Dictionary<string, ModelParameters>
        {
            ["Cleveland"] = TestModels.LogReg([-0.2f, 0.4f], -1.0f),
            ["Switzerland"] = TestModels.LogReg([0.3f, -0.6f], 1.0f),
        };
        foreach (var node in nodes)
        {
            var fit = await node.NextTaskAsync(NodeTask.KindOneofCase.Fit);
            Assert.Equal(1, fit.Round);
            Assert.Equal(initial.ComputeSha256(), fit.ModelSha256);
            Assert.Equal("fedavg", fit.Fit.Strategy.Name);
            Assert.Empty(fit.Fit.Strategy.Parameters);
            Assert.Equal(spec.Local, fit.Fit.Local);
            var header = new UpdateHeader { JobId = job, Round = 1, BaseModelSha256 = fit.ModelSha256, Kind = UpdateKind.Delta, NumExamples = 30 };
            Assert.True((await node.UploadAsync(header, deltas[node.Region])).Accepted);
        }

        // Cross-site: no federated evaluation of round 1 (the global model is still the initial one); each node gets
        // one EvaluateTask per local model, named by label and SHA-256.
        var expected = deltas.ToDictionary(kv => $"local:{kv.Key}", kv => new ModelParameters([
            new NamedTensor("linear.weight", [1, 2], initial.Tensors[0].Values.Zip(kv.Value.Tensors[0].Values, (a, b) => a + b).ToArray()),
            new NamedTensor("linear.bias", [1], [initial.Tensors[1].Values[0] + kv.Value.Tensors[1].Values[0]]),
        ]));
        foreach (var node in nodes)
        {
            var labels = new List<string>();
            for (int i = 0; i < 2; i++)
            {
                var eval = await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
                Assert.Equal(1, eval.Round);
                Assert.Equal(["test"], eval.Evaluate.Splits);
                var model = await node.DownloadAsync(job, eval.ModelSha256);
                Assert.Equal(expected[eval.Evaluate.ModelLabel].ComputeSha256(), model.ComputeSha256());
                labels.Add(eval.Evaluate.ModelLabel);
            }
            Assert.Equal(["local:Cleveland", "local:Switzerland"], labels.Order(StringComparer.Ordinal));
        }
        var unlabelled = await Assert.ThrowsAsync<RpcException>(() => cleveland.ReportAsync(job, 1, Test(99, 0.9)));
        Assert.Equal(StatusCode.InvalidArgument, unlabelled.StatusCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => cleveland.ReportModelAsync(job, 1, "global", Test(99, 0.9)));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("local:Cleveland, local:Switzerland", unknown.Status.Detail);
        await cleveland.ReportModelAsync(job, 1, "local:Cleveland", Test(99, 0.8, auc: 0.85));
        await cleveland.ReportModelAsync(job, 1, "local:Switzerland", Test(99, 0.6, auc: 0.65));
        await switzerland.ReportModelAsync(job, 1, "local:Cleveland", Test(13, 0.5));
        await switzerland.ReportModelAsync(job, 1, "local:Switzerland", Test(13, 0.7));

        var messages = await watching;
        var status = await operators.GetJobAsync(new GetJobRequest { JobId = job });
        Assert.Equal(JobState.Succeeded, status.State);
        // Round 0's federated evaluation: accuracy (99·0.6 + 13·0.4)/112 = 0.5768 over both, AUC 0.7 over Cleveland only.
        Assert.Contains("round 0/1 done; test accuracy 0.5768, loss 0.5000, AUC 0.7000 (example-weighted, 2 regions; AUC over 1)", messages);
        Assert.Contains("cross-site validation: 4 of 4 cells (2 regions x 2 models: local:Cleveland, local:Switzerland)", status.Message);
        Assert.Equal(1, status.CurrentRound);

        var matrix = (await research.GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = job })).Entries;
        Assert.Equal(4, matrix.Count);
        var cell = Assert.Single(matrix, e => e.ModelLabel == "local:Cleveland" && e.Metrics.Region == "Cleveland");
        Assert.Equal(0.85, cell.Metrics.Extra["auc"]);
        Assert.Equal(1, cell.Metrics.Round);
        // Round metrics hold federated evaluation (round 0) only; the global model stayed the initial one.
        var metrics = (await research.GetMetricsAsync(new GetMetricsRequest { JobId = job, Round = -1 })).Metrics;
        Assert.All(metrics.Where(m => m.Split == "test"), m => Assert.Equal(0, m.Round));
        var rounds = (await research.ListRoundsAsync(new ListRoundsRequest { JobId = job })).Rounds;
        Assert.Equal(initial.ComputeSha256(), rounds[^1].ModelSha256);
        using var download = research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = job, Round = -1 });
        var noModel = await Assert.ThrowsAsync<RpcException>(() => download.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.NotFound, noModel.StatusCode);
        Assert.Contains("ran in local mode and has no global model", noModel.Status.Detail);

        var none = await Assert.ThrowsAsync<RpcException>(() => research.GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = "nope" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, none.StatusCode);
    }

    /// <summary>Every status message of the job until it ends.</summary>
    private static async Task<List<string>> WatchAsync(Operator.OperatorClient operators, string job)
    {
        var messages = new List<string>();
        using var watch = operators.WatchJob(new GetJobRequest { JobId = job }, deadline: DateTime.UtcNow.AddSeconds(30));
        await foreach (var e in watch.ResponseStream.ReadAllAsync()) messages.Add(e.Status.Message);
        return messages;
    }
}
