using System.Collections.Concurrent;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>Cancellation of the job the runner is working on, so AbortJob stops it at once (mid-round included).</summary>
internal sealed class JobCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public CancellationTokenSource Begin(string jobId, CancellationToken stopping)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _running[jobId] = cts;
        return cts;
    }

    public void End(string jobId, CancellationTokenSource cts)
    {
        _running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(jobId, cts));
        cts.Dispose();
    }

    public void Cancel(string jobId)
    {
        if (_running.TryGetValue(jobId, out var cts))
        {
            try { cts.Cancel(); } catch (ObjectDisposedException) { }
        }
    }
}
