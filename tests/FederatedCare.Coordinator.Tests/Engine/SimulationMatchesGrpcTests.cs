using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.Coordinator.Tests.Engine;

/// <summary>
/// fedcare-sim and a real coordinator run the same engine: a gRPC job over loopback whose nodes train the simulator's
/// Mlp on the simulator's partitions (same seed, strategy, synthetic data) stores the same global models, bit for bit.
/// Nothing here waits for a deadline: every node answers every task.
/// </summary>
public sealed class SimulationMatchesGrpcTests
{
    [Theory]
    [InlineData("fedavg")]
    [InlineData("fedprox")]
    public async Task A_simulation_and_a_grpc_job_produce_the_same_global_models(string strategy)
    {
        var options = new SimulationOptions
        {
            Clients = 3, Rounds = 3, TrainRows = 300, TestRows = 50, Width = 6, Hidden = 5, Classes = 3, Strategy = strategy,
            StrategyParameters = strategy == "fedprox" ? new() { ["mu"] = 0.1 } : [], LearningRate = 0.1, Seed = 11,
        };
        var simulated = new SimulationRunner(options).Run();

        var (train, _) = SyntheticDataset.Generate(options.TrainRows, options.TestRows, options.Width, options.Classes, 1.0, options.Seed);
        var parts = new IidPartitioner().Split(train, options.Clients, options.Seed);
        var mlp = new Mlp(options.Width, options.Hidden, options.Classes);
        await using var coordinator = await TestCoordinator.StartAsync();
        var nodes = new List<MlpNode>();
        for (int c = 0; c < parts.Count; c++)
            nodes.Add(await MlpNode.StartAsync(coordinator.Channel, $"client-{c:D5}", train.Subset(parts[c]), mlp, options));
        try
        {
            var spec = JobSpecValidationTests.ValidSpec();
            spec.Strategy = new StrategySpec { Name = strategy, Parameters = { options.StrategyParameters } };
            spec.Rounds = options.Rounds;
            spec.MinFitClients = 1;
            spec.MinAvailableClients = options.Clients;
            spec.Seed = options.Seed;
            spec.RoundDeadlineSeconds = 600;
            var operators = new Operator.OperatorClient(coordinator.Channel);
            await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "same" });
            using (var watch = operators.WatchJob(new GetJobRequest { JobId = "same" }))
                while (await watch.ResponseStream.MoveNext(CancellationToken.None) && watch.ResponseStream.Current.Status.State is JobState.Pending or JobState.Running) { }

            var status = await operators.GetJobAsync(new GetJobRequest { JobId = "same" });
            Assert.Equal(JobState.Succeeded, status.State);
            var rounds = await coordinator.Services.GetRequiredService<ICoordinatorStore>().Rounds.ListAsync("same");
            Assert.Equal(simulated.Select(r => r.ModelSha256), rounds.Where(r => r.Round > 0).Select(r => r.ModelSha256));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>A node that trains the simulator's Mlp as a virtual client would, over gRPC.</summary>
    private sealed class MlpNode(FakeNode node, Dataset data, Mlp mlp, SimulationOptions options) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public static async Task<MlpNode> StartAsync(Grpc.Net.Client.GrpcChannel channel, string region, Dataset data, Mlp mlp, SimulationOptions options)
        {
            var node = new MlpNode(await FakeNode.ConnectAsync(channel, region), data, mlp, options);
            node._loop = Task.Run(node.RunAsync);
            return node;
        }

        private async Task RunAsync()
        {
            try
            {
                await foreach (var task in node.Tasks.ReadAllAsync(_stop.Token)) await AnswerAsync(task);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        }

        private async Task AnswerAsync(NodeTask task)
        {
            switch (task.KindCase)
            {
                case NodeTask.KindOneofCase.Initialize:
                    await node.UploadAsync(new UpdateHeader { JobId = task.JobId, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = data.Rows },
                        mlp.Initial((int)task.Seed));
                    break;
                case NodeTask.KindOneofCase.Fit:
                    var global = await node.DownloadAsync(task.JobId, task.ModelSha256);
                    float mu = task.Fit.Strategy.Parameters.TryGetValue("mu", out var m) ? (float)m : 0f;
                    var (delta, loss, _) = mlp.Train(global, data, options.LocalEpochs, options.BatchSize, (float)options.LearningRate, mu,
                        SimulationSeeds.Client((int)task.Seed, task.Round, node.Region));
                    await node.UploadAsync(new UpdateHeader
                    {
                        JobId = task.JobId, Round = task.Round, BaseModelSha256 = task.ModelSha256, Kind = UpdateKind.Delta, NumExamples = data.Rows,
                        Metrics = { ["train_loss"] = loss },
                    }, delta);
                    break;
                case NodeTask.KindOneofCase.Evaluate:
                    var model = await node.DownloadAsync(task.JobId, task.ModelSha256);
                    var (l, accuracy) = mlp.Evaluate(model, data);
                    await node.ReportModelAsync(task.JobId, task.Round, task.Evaluate.ModelLabel,
                        new RegionMetrics { Split = "test", NumExamples = data.Rows, Loss = l, Accuracy = accuracy });
                    break;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await node.DisposeAsync();
            await _loop;
        }
    }
}
