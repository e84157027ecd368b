using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FederatedCare.NodeAgent.Tests.Sdk;

/// <summary>
/// The node's task queue: the stream keeps being read while a task runs, so a job's cancellation stops its running
/// task through its token and drops the job's queued tasks, while other jobs' tasks still run.
/// </summary>
public sealed class NodeTaskQueueTests
{
    /// <summary>Records each task; a fit task runs until its token is cancelled, as training checks between steps.</summary>
    private sealed class TrainingHandler : INodeTaskHandler
    {
        public TaskCompletionSource Training { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<string> Ran { get; } = [];

        public async Task HandleAsync(NodeTask task, NodeSession session, CancellationToken cancellationToken)
        {
            lock (Ran) Ran.Add($"{task.JobId}:{task.KindCase}");
            if (task.KindCase != NodeTask.KindOneofCase.Fit) return;
            Training.TrySetResult();
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken); // "training" until cancelled
        }
    }

    [Fact]
    public async Task A_cancellation_stops_the_running_task_and_drops_the_jobs_queued_ones()
    {
        var handler = new TrainingHandler();
        var queue = new NodeTaskQueue(handler, new NodeSession("n", "Halland"), NullLogger.Instance);
        var run = queue.RunAsync(CancellationToken.None);

        queue.Post(new NodeTask { JobId = "a", Round = 1, Fit = new FitTask() });
        await handler.Training.Task.WaitAsync(TimeSpan.FromSeconds(30));
        queue.Post(new NodeTask { JobId = "a", Round = 1, Evaluate = new EvaluateTask() });
        queue.Post(new NodeTask { JobId = "b", Statistics = new StatisticsTask() });
        queue.Post(new NodeTask { JobId = "a", Ping = new Ping() });
        queue.Post(new NodeTask { JobId = "a", Round = -1, Cancel = new CancelTask { Reason = "aborted by operator" } });
        queue.Post(new NodeTask { JobId = "a", Round = 2, Fit = new FitTask() });
        queue.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a:Fit", "b:Statistics"], handler.Ran);
    }

    [Fact]
    public async Task Stopping_the_node_escapes_as_cancellation()
    {
        using var stop = new CancellationTokenSource();
        var handler = new TrainingHandler();
        var queue = new NodeTaskQueue(handler, new NodeSession("n", "Halland"), NullLogger.Instance);
        var run = queue.RunAsync(stop.Token);
        queue.Post(new NodeTask { JobId = "a", Round = 1, Fit = new FitTask() });
        await handler.Training.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
