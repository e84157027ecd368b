using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// A <see cref="FakeNode"/> that answers every task by itself with values that depend only on (region, round), as a
/// seeded node agent's would: the initial model, a fixed delta per region and round, fixed test metrics. A test can
/// make it crash (drop its connection) at a task, or hold tasks back and answer them later by hand.
/// </summary>
internal sealed class AutoNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NodeTask, TaskAction> _decide;
    private Task _loop = Task.CompletedTask;

    private AutoNode(FakeNode node, Func<NodeTask, TaskAction> decide)
    {
        Node = node;
        _decide = decide;
    }

    public FakeNode Node { get; }
    public string Region => Node.Region;
    public long NumExamples => NumExamplesOf(Region);

    /// <summary>Tasks held back (<see cref="TaskAction.Hold"/>), in arrival order.</summary>
    public List<NodeTask> Held { get; } = [];

    /// <summary>Released once per fit update the coordinator accepted, after it was added to <see cref="FitRounds"/>.</summary>
    public SemaphoreSlim FitSignal { get; } = new(0);

    /// <summary>Released once per task held back, after it was added to <see cref="Held"/>.</summary>
    public SemaphoreSlim HeldSignal { get; } = new(0);

    /// <summary>Fit rounds whose update the coordinator accepted.</summary>
    public List<int> FitRounds { get; } = [];

    /// <summary>Completes when the node crashed on a task (<see cref="TaskAction.Crash"/>).</summary>
    public TaskCompletionSource Crashed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called before each task is handled; may answer held tasks.</summary>
    public Func<AutoNode, NodeTask, Task>? BeforeTask { get; set; }

    public static async Task<AutoNode> StartAsync(GrpcChannel channel, string region, Func<NodeTask, TaskAction>? decide = null)
    {
        var node = new AutoNode(await FakeNode.ConnectAsync(channel, region), decide ?? (_ => TaskAction.Answer));
        node._loop = Task.Run(node.RunAsync);
        return node;
    }

    public static long NumExamplesOf(string region) => 10 + region.Length;

    public static ModelParameters Initial() => TestModels.LogReg([1f, 2f], 0.5f);

    /// <summary>The update a region sends in a round: depends on nothing else.</summary>
    public static ModelParameters Delta(string region, int round) =>
        TestModels.LogReg([0.01f * round * region.Length, -0.02f * (region[0] % 7)], 0.001f * round);

    public static double Accuracy(string region, int round) => 0.5 + 0.01 * round + 0.001 * region.Length;

    /// <summary>Uploads this region's update for a fit task (now, whatever round is open); returns the response.</summary>
    public Task<UploadUpdateResponse> UploadFitAsync(NodeTask fit) => Node.UploadAsync(new UpdateHeader
    {
        JobId = fit.JobId,
        Round = fit.Round,
        BaseModelSha256 = fit.ModelSha256,
        Kind = UpdateKind.Delta,
        NumExamples = NumExamples,
        Metrics = { [WireNames.FitMetrics.TrainLoss] = 1.0 / (1 + fit.Round) },
    }, Delta(Region, fit.Round));

    private async Task RunAsync()
    {
        try
        {
            await foreach (var task in Node.Tasks.ReadAllAsync(_stop.Token))
            {
                if (BeforeTask is { } before) await before(this, task);
                switch (_decide(task))
                {
                    case TaskAction.Hold:
                        Held.Add(task);
                        HeldSignal.Release();
                        continue;
                    case TaskAction.Crash:
                        await Node.DisposeAsync();
                        Crashed.TrySetResult();
                        return;
                }
                try
                {
                    await AnswerAsync(task);
                }
                catch (RpcException)
                {
                    // Refused (e.g. the round closed meanwhile): a real agent logs it and goes on.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
    }

    private async Task AnswerAsync(NodeTask task)
    {
        switch (task.KindCase)
        {
            case NodeTask.KindOneofCase.Initialize:
                await Node.UploadAsync(new UpdateHeader { JobId = task.JobId, Round = 0, Kind = UpdateKind.InitialModel, NumExamples = NumExamples },
                    Initial());
                break;
            case NodeTask.KindOneofCase.Fit:
                if ((await UploadFitAsync(task)).Accepted)
                {
                    lock (FitRounds) FitRounds.Add(task.Round);
                    FitSignal.Release();
                }
                break;
            case NodeTask.KindOneofCase.Evaluate:
                await Node.ReportAsync(task.JobId, task.Round,
                    new RegionMetrics { Split = "test", NumExamples = NumExamples, Loss = 0.5, Accuracy = Accuracy(Region, task.Round) });
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Node.DisposeAsync();
        // A call the coordinator holds (a chaos pause) never returns: do not wait for it.
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}

/// <summary>What an <see cref="AutoNode"/> does with a task.</summary>
internal enum TaskAction
{
    Answer,
    Hold,
    Crash,
}
