using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// What an update claims is checked against what its region said: num_examples no larger than the training rows it
/// reported in the statistics phase and the same in every round, and a second upload for an answered round only counts when byte-identical.
/// </summary>
public class UpdateClaimsTests
{
    private static RegionMetrics Test(long n) => new() { Split = "test", NumExamples = n, Loss = 0.5, Accuracy = 0.5 };

    private static JobSpec Spec()
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 1;
        spec.MaxRoundRetries = 0;
        spec.Schema = new DatasetSchema
        {
            Features = { new FeatureColumn { Name = "x1", Type = ColumnType.Numeric }, new FeatureColumn { Name = "x2", Type = ColumnType.Numeric } },
            Label = new LabelColumn { Name = "y", Task = LabelTask.Binary, PositiveAbove = 0 },
        };
        return spec;
    }

    [Fact]
    public async Task An_inflated_num_examples_and_a_different_second_update_are_refused_and_the_global_model_is_the_honest_one()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var cleveland = await FakeNode.ConnectAsync(coordinator.Channel, "Cleveland");
        await using var switzerland = await FakeNode.ConnectAsync(coordinator.Channel, "Switzerland");
        const string job = "claims";
        await operators.StartJobAsync(new StartJobRequest { Spec = Spec(), JobId = job });

        foreach (var (node, rows) in new[] { (cleveland, 100L), (switzerland, 30L) })
        {
            await node.NextTaskAsync(NodeTask.KindOneofCase.Statistics);
            await node.Calls.ReportStatisticsAsync(new ReportStatisticsRequest { JobId = job, Statistics = new LocalStatistics { TrainRows = rows } },
                node.Headers, CancellationToken.None);
        }
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        var inflatedInitial = await Assert.ThrowsAsync<RpcException>(() => cleveland.UploadAsync(
            new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = long.MaxValue }, initial));
        Assert.Equal(StatusCode.InvalidArgument, inflatedInitial.StatusCode);
        Assert.True((await cleveland.UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 100 }, initial)).Accepted);
        foreach (var node in new[] { cleveland, switzerland })
        {
            await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            await node.ReportAsync(job, 0, Test(10));
        }

        var fit = await switzerland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        UpdateHeader Header(long n) => new() { JobId = job, Round = 1, BaseModelSha256 = fit.ModelSha256, Kind = UpdateKind.Delta, NumExamples = n };
        var deltaS = TestModels.LogReg([0.3f, -0.6f], 1.0f);
        var deltaC = TestModels.LogReg([-0.2f, 0.4f], -1.0f);

        var inflated = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(1_000_000), deltaS));
        Assert.Equal(StatusCode.InvalidArgument, inflated.StatusCode);
        Assert.Equal("num_examples 1000000 exceeds the 30 training rows Switzerland reported for job 'claims' in its statistics phase.",
            inflated.Status.Detail);
        Assert.False((await switzerland.UploadAsync(Header(30), deltaS)).Duplicate);
        var other = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(30), TestModels.LogReg([float.NaN, 9f], 9f)));
        Assert.Equal(StatusCode.AlreadyExists, other.StatusCode);
        Assert.Contains("not a retry", other.Status.Detail);
        Assert.True((await switzerland.UploadAsync(Header(30), deltaS)).Duplicate);
        Assert.True((await cleveland.UploadAsync(Header(100), deltaC)).Accepted);

        var expected = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), initial, [
            new ClientUpdate("Switzerland", 30, deltaS, new Dictionary<string, double>()),
            new ClientUpdate("Cleveland", 100, deltaC, new Dictionary<string, double>())]);
        Assert.Equal(expected.ComputeSha256(), (await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Evaluate)).ModelSha256);

        var audit = await coordinator.Services.GetRequiredService<ICoordinatorStore>().Audit.ListAsync(job);
        Assert.Contains(audit, a => a.Action == "update.rejected" && a.Detail.StartsWith("AlreadyExists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_region_that_changes_its_num_examples_in_a_later_round_is_refused_and_its_honest_count_accepted()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var cleveland = await FakeNode.ConnectAsync(coordinator.Channel, "Cleveland");
        await using var switzerland = await FakeNode.ConnectAsync(coordinator.Channel, "Switzerland");
        const string job = "steady";
        var spec = Spec();
        spec.Rounds = 2;
        spec.EvaluateEvery = 0; // straight from round 1 to round 2
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        await ThroughRoundZeroAsync(job, initial, (cleveland, 100), (switzerland, 30));
        var deltaS = TestModels.LogReg([0.3f, -0.6f], 1.0f);
        var deltaC = TestModels.LogReg([-0.2f, 0.4f], -1.0f);
        var fit1 = await switzerland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        UpdateHeader Header(NodeTask fit, long n) => new() { JobId = job, Round = fit.Round, BaseModelSha256 = fit.ModelSha256, Kind = UpdateKind.Delta, NumExamples = n };
        // Round 1: Switzerland claims 20 of its 30 rows (allowed: no more than it reported), Cleveland its 100.
        Assert.True((await switzerland.UploadAsync(Header(fit1, 20), deltaS)).Accepted);
        Assert.True((await cleveland.UploadAsync(Header(fit1, 100), deltaC)).Accepted);

        var fit2 = await switzerland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        Assert.Equal(2, fit2.Round);
        // Round 2: 30 is within its rows, but not the count it trained on in round 1.
        var moved = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(fit2, 30), deltaS));
        Assert.Equal(StatusCode.InvalidArgument, moved.StatusCode);
        Assert.Equal("num_examples 30 differs from the 20 Switzerland claimed in round 1 of job 'steady': a region's training rows and " +
            "the job's local training are the same in every round.", moved.Status.Detail);
        Assert.True((await switzerland.UploadAsync(Header(fit2, 20), deltaS)).Accepted);
        Assert.True((await cleveland.UploadAsync(Header(fit2, 100), deltaC)).Accepted);

        var fedAvg = new FedAvg(new FedAvgOptions());
        ModelParameters Step(ModelParameters from) => StrategyTestData.Aggregate(fedAvg, from, [
            new ClientUpdate("Switzerland", 20, deltaS, new Dictionary<string, double>()),
            new ClientUpdate("Cleveland", 100, deltaC, new Dictionary<string, double>())]);
        Assert.Equal(Step(Step(initial)).ComputeSha256(), (await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Evaluate)).ModelSha256);
        var audit = await coordinator.Services.GetRequiredService<ICoordinatorStore>().Audit.ListAsync(job);
        Assert.Contains(audit, a => a.Action == "update.rejected" && a.Detail.Contains("differs from the 20 Switzerland claimed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_that_refused_its_fit_task_cannot_then_send_an_update_that_counts()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var cleveland = await FakeNode.ConnectAsync(coordinator.Channel, "Cleveland");
        await using var switzerland = await FakeNode.ConnectAsync(coordinator.Channel, "Switzerland");
        const string job = "said-no";
        var spec = Spec();
        spec.MinFitClients = 1;
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = job });
        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        await ThroughRoundZeroAsync(job, initial, (cleveland, 30), (switzerland, 30));
        var fit = await switzerland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        UpdateHeader Header() => new() { JobId = job, Round = 1, BaseModelSha256 = fit.ModelSha256, Kind = UpdateKind.Delta, NumExamples = 30 };

        await switzerland.Calls.ReportRefusalAsync(new ReportRefusalRequest { JobId = job, Round = 1, Reason = "the approval was withdrawn" },
            switzerland.Headers, CancellationToken.None);
        var after = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(), TestModels.LogReg([9f, 9f], 9f)));
        Assert.Equal(StatusCode.FailedPrecondition, after.StatusCode);
        Assert.Equal("This node refused its task of round 1 of job 'said-no'; an update sent afterwards does not count.", after.Status.Detail);
        var deltaC = TestModels.LogReg([-0.2f, 0.4f], -1.0f);
        Assert.True((await cleveland.UploadAsync(Header(), deltaC)).Accepted);

        var expected = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), initial,
            [new ClientUpdate("Cleveland", 30, deltaC, new Dictionary<string, double>())]);
        Assert.Equal(expected.ComputeSha256(), (await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Evaluate)).ModelSha256);
    }

    // The statistics phase (each node reporting its training rows), the first node's initial model and the evaluation
    // of round 0, answered honestly: the job then sends round 1's fit tasks.
    private static async Task ThroughRoundZeroAsync(string job, ModelParameters initial, params (FakeNode Node, long Rows)[] nodes)
    {
        foreach (var (node, rows) in nodes)
        {
            await node.NextTaskAsync(NodeTask.KindOneofCase.Statistics);
            await node.Calls.ReportStatisticsAsync(new ReportStatisticsRequest { JobId = job, Statistics = new LocalStatistics { TrainRows = rows } },
                node.Headers, CancellationToken.None);
        }
        var (first, firstRows) = nodes[0];
        await first.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        Assert.True((await first.UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = firstRows }, initial)).Accepted);
        foreach (var (node, _) in nodes)
        {
            await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            await node.ReportAsync(job, 0, Test(10));
        }
    }
}
