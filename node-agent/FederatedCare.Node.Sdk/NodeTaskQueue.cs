using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;
using System.Threading.Channels;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// Runs a node's tasks one at a time apart from the stream that delivers them, so the stream keeps being read while a
/// task runs: a <see cref="CancelTask"/> for a job cancels that job's running task (its token, which the trainer checks
/// between steps) and drops its queued and later tasks. Pings are answered by being read.
/// </summary>
/// <param name="handler">Runs each task.</param>
/// <param name="session">The session the tasks came on.</param>
/// <param name="logger">Where cancellations are logged.</param>
public sealed class NodeTaskQueue(INodeTaskHandler handler, NodeSession session, ILogger logger)
{
    // Job ids are never reused for another spec; a few hundred recent cancellations are plenty to drop stale tasks.
    private const int CancelledJobsKept = 256;

    private readonly Channel<NodeTask> _queue = Channel.CreateUnbounded<NodeTask>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly LinkedList<string> _cancelledOrder = new();
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);
    private (string JobId, CancellationTokenSource Cts)? _running;

    /// <summary>Takes one task off the stream: a cancellation acts at once, pings are dropped, anything else queues.</summary>
    public void Post(NodeTask task)
    {
        switch (task.KindCase)
        {
            case NodeTask.KindOneofCase.Ping or NodeTask.KindOneofCase.None:
                return;
            case NodeTask.KindOneofCase.Cancel:
                Cancel(task.JobId, task.Cancel.Reason);
                return;
            default:
                _queue.Writer.TryWrite(task);
                return;
        }
    }

    /// <summary>No more tasks come: <see cref="RunAsync"/> ends after the queued ones.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Runs the queued tasks in order until <see cref="Complete"/>; only what the handler lets escape escapes.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="stoppingToken"/> was cancelled.</exception>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var task in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            lock (_gate)
            {
                if (_cancelled.Contains(task.JobId)) continue;
                _running = (task.JobId, cts);
            }
            try
            {
                await handler.HandleAsync(task, session, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                SdkLog.TaskCancelled(logger, task.JobId, task.Round, task.KindCase.ToString().ToLowerInvariant());
            }
            finally
            {
                lock (_gate) _running = null;
            }
        }
    }

    private void Cancel(string jobId, string reason)
    {
        lock (_gate)
        {
            if (_cancelled.Add(jobId))
            {
                _cancelledOrder.AddLast(jobId);
                if (_cancelledOrder.Count > CancelledJobsKept)
                {
                    _cancelled.Remove(_cancelledOrder.First!.Value);
                    _cancelledOrder.RemoveFirst();
                }
            }
            if (_running is { } running && running.JobId == jobId) running.Cts.Cancel();
        }
        SdkLog.JobCancelled(logger, jobId, reason);
    }
}
