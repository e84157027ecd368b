using FederatedCare.Coordinator.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// The round of a job that is currently accepting answers: which nodes were asked, what they answered, and a task
/// that completes when all of them did. Thread-safe; once closed it accepts nothing, so late answers are "stale".
/// </summary>
internal sealed class OpenRound(string jobId, int round, RoundPhase phase, string baseModelSha256, ModelParameters? baseModel,
    IReadOnlyList<AvailableClient> expected, DateTimeOffset deadline)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClientUpdate> _updates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<RegionMetrics>> _metrics = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public string JobId { get; } = jobId;
    public int Round { get; } = round;
    public RoundPhase Phase { get; } = phase;
    /// <summary>SHA-256 of the global model the round starts from; empty for Initialize.</summary>
    public string BaseModelSha256 { get; } = baseModelSha256;
    /// <summary>The global model (Fit: updates must match its names and shapes).</summary>
    public ModelParameters? BaseModel { get; } = baseModel;
    public IReadOnlyList<AvailableClient> Expected { get; } = expected;
    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Completes when every expected node answered.</summary>
    public Task AllAnswered => _allAnswered.Task;

    public bool IsExpected(string nodeId) => Expected.Any(c => c.NodeId == nodeId);

    public SubmitResult Submit(string nodeId, ClientUpdate update)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            if (_updates.ContainsKey(nodeId)) return SubmitResult.Duplicate;
            _updates[nodeId] = update;
            if (_updates.Count == Expected.Count) _allAnswered.TrySetResult();
            return SubmitResult.Accepted;
        }
    }

    public bool HasUpdateFrom(string nodeId)
    {
        lock (_gate) return _updates.ContainsKey(nodeId);
    }

    /// <summary>Records a node's metrics; a repeated report replaces the earlier one and counts once.</summary>
    public SubmitResult SubmitMetrics(string nodeId, IReadOnlyList<RegionMetrics> metrics)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            bool duplicate = _metrics.ContainsKey(nodeId);
            _metrics[nodeId] = metrics;
            if (_metrics.Count == Expected.Count) _allAnswered.TrySetResult();
            return duplicate ? SubmitResult.Duplicate : SubmitResult.Accepted;
        }
    }

    /// <summary>Waits until every expected node answered or the deadline passed; true when all answered.</summary>
    public async Task<bool> WaitAsync(TimeProvider time, CancellationToken ct)
    {
        var remaining = Deadline - time.GetUtcNow();
        if (remaining > TimeSpan.Zero && !AllAnswered.IsCompleted)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(remaining, time, cts.Token);
            await Task.WhenAny(AllAnswered, delay).ConfigureAwait(false);
            cts.Cancel();
        }
        ct.ThrowIfCancellationRequested();
        return AllAnswered.IsCompleted;
    }

    /// <summary>Stops accepting answers and returns what arrived, keyed by node id.</summary>
    public (IReadOnlyDictionary<string, ClientUpdate> Updates, IReadOnlyDictionary<string, IReadOnlyList<RegionMetrics>> Metrics) Close()
    {
        lock (_gate)
        {
            _closed = true;
            return (new Dictionary<string, ClientUpdate>(_updates), new Dictionary<string, IReadOnlyList<RegionMetrics>>(_metrics));
        }
    }
}

/// <summary>The outcome of handing an answer to an <see cref="OpenRound"/>.</summary>
internal enum SubmitResult
{
    Accepted,
    Duplicate,
    Closed,
}
