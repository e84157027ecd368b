using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A whole job over real gRPC with two scripted nodes, including the updates the coordinator must reject.</summary>
public class JobLifecycleTests
{
    private static RegionMetrics Test(long n, double accuracy) => new() { Split = "test", NumExamples = n, Loss = 0.5, Accuracy = accuracy };

    [Fact]
    public async Task Two_nodes_run_a_job_and_invalid_updates_are_rejected_without_touching_the_round()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        var research = new Research.ResearchClient(coordinator.Channel);
        await using var cleveland = await FakeNode.ConnectAsync(coordinator.Channel, "Cleveland");
        await using var switzerland = await FakeNode.ConnectAsync(coordinator.Channel, "Switzerland");

        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 1;
        spec.MaxRoundRetries = 0;
        var started = await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "job-a" });
        Assert.Equal(JobState.Pending, started.State);
        // Idempotent: the same id and spec return the same job.
        Assert.Equal("job-a", (await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "job-a" })).JobId);
        const string job = "job-a";

        // Round 0: the first region by name builds the initial model.
        var init = await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Initialize);
        Assert.Equal(0, init.Round);
        var initial = TestModels.LogReg([1f, 2f], 0.5f);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => cleveland.UploadAsync(
            new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel }, initial, new Metadata { { "x-node-id", "no-such-node" } }));
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);
        Assert.True((await cleveland.UploadAsync(new UpdateHeader { JobId = job, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = 199 }, initial)).Accepted);

        // Evaluation of round 0 on both nodes.
        foreach (var node in new[] { cleveland, switzerland })
        {
            var eval = await node.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
            Assert.Equal(initial.ComputeSha256(), eval.ModelSha256);
        }
        var nan = await Assert.ThrowsAsync<RpcException>(() => switzerland.ReportAsync(job, 0, new RegionMetrics { Split = "test", NumExamples = 30, Loss = double.NaN }));
        Assert.Equal(StatusCode.InvalidArgument, nan.StatusCode);
        var impossible = await Assert.ThrowsAsync<RpcException>(() => switzerland.ReportAsync(job, 0, new RegionMetrics { Split = "test", NumExamples = 30, Loss = 0.5, Accuracy = 7.0 }));
        Assert.Equal(StatusCode.InvalidArgument, impossible.StatusCode);
        Assert.Contains("accuracy must be in [0, 1]", impossible.Status.Detail);
        await cleveland.ReportAsync(job, 0, Test(99, 0.6));
        await switzerland.ReportAsync(job, 0, Test(13, 0.4));

        // Round 1: both selected.
        var fitC = await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        var fitS = await switzerland.NextTaskAsync(NodeTask.KindOneofCase.Fit);
        Assert.Equal(1, fitS.Round);
        Assert.Equal(42, fitS.Seed);
        Assert.Equal(spec.Local, fitS.Fit.Local);
        var global = await switzerland.DownloadAsync(job, fitS.ModelSha256);
        Assert.Equal(initial.ComputeSha256(), global.ComputeSha256());

        UpdateHeader Header(int round = 1, string? sha = null) => new()
        {
            JobId = job, Round = round, BaseModelSha256 = sha ?? fitS.ModelSha256, Kind = UpdateKind.Delta, NumExamples = 30,
            Metrics = { ["train_loss"] = 0.42 },
        };
        var deltaS = TestModels.LogReg([0.3f, -0.6f], 1.0f);
        var deltaC = TestModels.LogReg([-0.2f, 0.4f], -1.0f);

        var shape = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(), TestModels.LogReg([0.3f, -0.6f, 9f], 1.0f)));
        Assert.Equal(StatusCode.InvalidArgument, shape.StatusCode);
        Assert.Contains("linear.weight", shape.Status.Detail);
        Assert.Contains("[1, 3]", shape.Status.Detail);
        Assert.Contains("[1, 2]", shape.Status.Detail);

        var nanUpdate = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(), TestModels.LogReg([float.NaN, 0f], 0f)));
        Assert.Equal(StatusCode.InvalidArgument, nanUpdate.StatusCode);

        var stale = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(round: 5), deltaS));
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Contains("Stale", stale.Status.Detail);

        var wrongBase = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(Header(sha: new string('0', 64)), deltaS));
        Assert.Equal(StatusCode.FailedPrecondition, wrongBase.StatusCode);

        var missingJob = await Assert.ThrowsAsync<RpcException>(() => switzerland.UploadAsync(new UpdateHeader { JobId = "nope", Round = 1, Kind = UpdateKind.Delta, NumExamples = 1 }, deltaS));
        Assert.Equal(StatusCode.NotFound, missingJob.StatusCode);

        // After all those rejections the round is unaffected: the correct update is accepted, once.
        Assert.False((await switzerland.UploadAsync(Header(), deltaS)).Duplicate);
        Assert.True((await switzerland.UploadAsync(Header(), deltaS)).Duplicate);
        var headerC = Header();
        headerC.NumExamples = 199;
        Assert.True((await cleveland.UploadAsync(headerC, deltaC)).Accepted);

        var expected = StrategyTestData.Aggregate(new FedAvg(new FedAvgOptions()), initial, [
            new ClientUpdate("Switzerland", 30, deltaS, new Dictionary<string, double>()),
            new ClientUpdate("Cleveland", 199, deltaC, new Dictionary<string, double>())]);

        // Final evaluation.
        var evalC = await cleveland.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
        Assert.Equal(expected.ComputeSha256(), evalC.ModelSha256);
        await switzerland.NextTaskAsync(NodeTask.KindOneofCase.Evaluate);
        await cleveland.ReportAsync(job, 1, Test(99, 0.8));
        await switzerland.ReportAsync(job, 1, Test(13, 0.7));

        // A watcher that comes late still sees every round, then the end.
        var events = new List<JobEvent>();
        using (var watch = operators.WatchJob(new GetJobRequest { JobId = job }, deadline: DateTime.UtcNow.AddSeconds(15)))
            await foreach (var e in watch.ResponseStream.ReadAllAsync()) events.Add(e);
        Assert.Equal(JobState.Succeeded, events[^1].Status.State);
        var rounds = events.Where(e => e.Round is not null).Select(e => e.Round).ToList();
        Assert.Equal([0, 1], rounds.Select(r => r.Round));
        Assert.Equal(expected.ComputeSha256(), rounds[1].ModelSha256);
        Assert.Equal(["Cleveland", "Switzerland"], rounds[1].Participants);
        Assert.Equal(229, rounds[1].NumExamples);
        Assert.Equal(2, rounds[1].Metrics.Count(m => m.Split == "test"));
        Assert.Contains(rounds[1].Metrics, m => m.Split == "fit" && m.Region == "Switzerland" && m.Loss == 0.42);

        using var download = research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = job, Round = -1 });
        Assert.Equal(expected.ComputeSha256(), (await ModelStream.ReadAsync(download.ResponseStream)).ComputeSha256());
        var metrics = await research.GetMetricsAsync(new GetMetricsRequest { JobId = job, Round = -1 });
        Assert.Equal(4, metrics.Metrics.Count(m => m.Split == "test"));
        var beyond = await Assert.ThrowsAsync<RpcException>(() => research.GetMetricsAsync(new GetMetricsRequest { JobId = job, Round = 99 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, beyond.StatusCode);
        Assert.Equal("Job 'job-a' has no round 99 (its latest round is 1).", beyond.Status.Detail);
        var status = await operators.GetJobAsync(new GetJobRequest { JobId = job });
        Assert.Equal(1, status.CurrentRound);

        var audit = await coordinator.Services.GetRequiredService<ICoordinatorStore>().Audit.ListAsync(job);
        Assert.Equal(4, audit.Count(a => a.Action == "update.rejected"));
        Assert.Equal(3, audit.Count(a => a.Action == "update.accepted"));
        Assert.Contains(audit, a => a.Action == "job.succeeded");
    }

    [Fact]
    public async Task Operator_calls_fail_with_precise_statuses()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        var spec = JobSpecValidationTests.ValidSpec();
        spec.FractionFit = 0;
        var invalid = await Assert.ThrowsAsync<RpcException>(() => operators.StartJobAsync(new StartJobRequest { Spec = spec }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("fraction_fit", invalid.Status.Detail);

        var notFound = await Assert.ThrowsAsync<RpcException>(() => operators.GetJobAsync(new GetJobRequest { JobId = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);

        // A job that waits for clients can be aborted; its watchers see the end.
        var waiting = await operators.StartJobAsync(new StartJobRequest { Spec = JobSpecValidationTests.ValidSpec(), JobId = "lonely" });
        var different = JobSpecValidationTests.ValidSpec();
        different.Rounds = 7;
        var exists = await Assert.ThrowsAsync<RpcException>(() => operators.StartJobAsync(new StartJobRequest { Spec = different, JobId = "lonely" }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, exists.StatusCode);
        using var watch = operators.WatchJob(new GetJobRequest { JobId = waiting.JobId }, deadline: DateTime.UtcNow.AddSeconds(15));
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        var aborted = await operators.AbortJobAsync(new AbortJobRequest { JobId = waiting.JobId, Reason = "test" });
        Assert.Equal(JobState.Aborted, aborted.State);
        JobEvent last = watch.ResponseStream.Current;
        while (await watch.ResponseStream.MoveNext(CancellationToken.None)) last = watch.ResponseStream.Current;
        Assert.Equal(JobState.Aborted, last.Status.State);
    }

    [Fact]
    public async Task Only_regions_holding_the_jobs_dataset_are_asked_and_the_waiting_job_names_those_without_it()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        await using var halland = await FakeNode.ConnectAsync(coordinator.Channel, "Halland", "heart-disease");
        await using var orebro = await FakeNode.ConnectAsync(coordinator.Channel, "Örebro", "readmission");
        var spec = JobSpecValidationTests.ValidSpec();
        spec.MinFitClients = 2;
        spec.MinAvailableClients = 2;
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "needs-two" });

        using (var watch = operators.WatchJob(new GetJobRequest { JobId = "needs-two" }, deadline: DateTime.UtcNow.AddSeconds(15)))
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None) && !watch.ResponseStream.Current.Status.Message.StartsWith("waiting", StringComparison.Ordinal))
            {
            }
            Assert.Equal("waiting for 2 clients with dataset 'heart-disease' (1 connected; without it: Örebro)", watch.ResponseStream.Current.Status.Message);
        }

        // A second region with the dataset lets the job start; Örebro is never sent a task.
        await using var karolinska = await FakeNode.ConnectAsync(coordinator.Channel, "Karolinska", "heart-disease", "readmission");
        Assert.Equal(0, (await halland.NextTaskAsync(NodeTask.KindOneofCase.Initialize)).Round);
        await operators.AbortJobAsync(new AbortJobRequest { JobId = "needs-two", Reason = "test" });
        Assert.False(orebro.HasPendingTask);
        // The abort reaches the nodes on their task streams, so one training for the job stops at once.
        var cancel = await halland.Cancellations.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(("needs-two", "aborted: test"), (cancel.JobId, cancel.Cancel.Reason));
    }

    [Fact]
    public async Task Re_registering_a_live_region_is_refused_unless_the_agent_names_its_own_previous_node()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        await using var first = await FakeNode.ConnectAsync(coordinator.Channel, "Halland");

        var other = await Assert.ThrowsAsync<RpcException>(() => FakeNode.ConnectAsync(coordinator.Channel, "Halland"));
        var again = await first.Client.RegisterAsync(new RegisterRequest { Region = "Halland", PreviousNodeId = first.NodeId });

        Assert.Equal(StatusCode.AlreadyExists, other.StatusCode);
        var node = Assert.Single((await new Operator.OperatorClient(coordinator.Channel).ListNodesAsync(new ListNodesRequest())).Nodes);
        Assert.Equal(again.NodeId, node.NodeId);
        var stale = await Assert.ThrowsAsync<RpcException>(() => first.ReportAsync("job", 0));
        Assert.Equal(StatusCode.Unauthenticated, stale.StatusCode);
    }

    [Fact]
    public async Task A_watch_of_a_running_job_ends_at_once_when_the_coordinator_stops()
    {
        var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        // Waits for clients for ever: the watch would follow it until the host gave up on the call.
        var job = await operators.StartJobAsync(new StartJobRequest { Spec = JobSpecValidationTests.ValidSpec(), JobId = "waiting" });
        using var watch = operators.WatchJob(new GetJobRequest { JobId = job.JobId });
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));

        // The host's default shutdown timeout is 30 s; stopping well before it shows the watch did not hold it.
        var stopped = coordinator.Running.App.StopAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(async () => { while (await watch.ResponseStream.MoveNext(CancellationToken.None)) { } });
        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
        Assert.Contains("shutting down", ended.Status.Detail);
        await stopped.WaitAsync(TimeSpan.FromSeconds(20));
        await coordinator.DisposeAsync();
    }
}
