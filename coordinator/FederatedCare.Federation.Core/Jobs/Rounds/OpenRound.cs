using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The round of a job that is currently accepting answers: which nodes were asked, what they answered, and a task
/// that completes when all of them did. Thread-safe; once closed it accepts nothing, so late answers are "stale".
/// Metrics are keyed by (node, model label): a cross-site round expects one report per node and label. Updates reach a
/// fit round only through its <see cref="Accumulator"/>, which this round admits once per node (running the fold under
/// this round's lock, <see cref="IRoundAdmission"/>), so an update is folded exactly once and never after the round closed.
/// </summary>
public sealed class OpenRound(string jobId, int round, RoundPhase phase, string baseModelSha256,
    IReadOnlyList<TensorSpec>? expectedUpdate, IReadOnlyList<AvailableClient> expected, DateTimeOffset deadline,
    IReadOnlyList<string>? modelLabels = null, RoundAccumulator? accumulator = null, AnalysisTask? analysis = null,
    ExampleClaims? claims = null) : IRoundAdmission
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClientUpdate> _updates = new(StringComparer.Ordinal);
    private readonly Dictionary<(string NodeId, string Label), IReadOnlyList<RegionMetrics>> _metrics = [];
    private readonly Dictionary<string, ReportStatisticsRequest> _statistics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReportAnalysisRequest> _analysis = new(StringComparer.Ordinal);
    private readonly Dictionary<(string NodeId, string Label), string> _refusals = [];
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public string JobId { get; } = jobId;
    public int Round { get; } = round;
    public RoundPhase Phase { get; } = phase;
    /// <summary>SHA-256 of the global model the round starts from; empty for Initialize.</summary>
    public string BaseModelSha256 { get; } = baseModelSha256;
    /// <summary>Fit: the tensors every update must carry, in order (the strategy's layout); null for other phases.</summary>
    public IReadOnlyList<TensorSpec>? ExpectedUpdate { get; } = expectedUpdate;
    public IReadOnlyList<AvailableClient> Expected { get; } = expected;
    /// <summary>Cross-site: the model labels each node reports on; otherwise the single empty label of federated evaluation.</summary>
    public IReadOnlyList<string> ModelLabels { get; } = modelLabels ?? [""];
    public DateTimeOffset Deadline { get; } = deadline;
    /// <summary>Initialize and fit rounds: the round's accumulator (decode, validate, clip, fold); null for other phases.</summary>
    public RoundAccumulator? Accumulator { get; } = accumulator;
    /// <summary>
    /// Initialize and fit rounds: the job's bounds on the num_examples an update may claim (<see cref="ExampleClaims"/>);
    /// without a job (tests), none.
    /// </summary>
    public ExampleClaims Claims { get; } = claims ?? new ExampleClaims();
    /// <summary>Analysis rounds: what the round asks (an answer must be of the same kind); null for other phases.</summary>
    public AnalysisTask? Analysis { get; } = analysis;

    /// <summary>Completes when every expected node answered.</summary>
    public Task AllAnswered => _allAnswered.Task;

    public bool IsExpected(string nodeId) => Expected.Any(c => c.NodeId == nodeId);

    /// <summary>
    /// Records a node's update; <paramref name="fold"/> (the accumulator's keep or fold) runs only when it is accepted.
    /// A node counted as refusing the round (it said so, or its certificate was revoked while it uploaded) is
    /// <see cref="SubmitResult.Refused"/>: the round may have closed on that answer already.
    /// </summary>
    public SubmitResult Submit(string nodeId, ClientUpdate update, Action? fold = null)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            if (_updates.ContainsKey(nodeId)) return SubmitResult.Duplicate;
            if (_refusals.ContainsKey((nodeId, ""))) return SubmitResult.Refused;
            fold?.Invoke();
            _updates[nodeId] = update;
            CheckAllAnswered();
            return SubmitResult.Accepted;
        }
    }

    public bool HasUpdateFrom(string nodeId)
    {
        lock (_gate) return _updates.ContainsKey(nodeId);
    }

    /// <summary>Records a node's metrics of one model; a repeated report replaces the earlier one and counts once.</summary>
    public SubmitResult SubmitMetrics(string nodeId, string modelLabel, IReadOnlyList<RegionMetrics> metrics)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            bool duplicate = _metrics.ContainsKey((nodeId, modelLabel));
            _metrics[(nodeId, modelLabel)] = metrics;
            CheckAllAnswered();
            return duplicate ? SubmitResult.Duplicate : SubmitResult.Accepted;
        }
    }

    /// <summary>Records a node's statistics report (or refusal); a repeated report replaces the earlier one.</summary>
    public SubmitResult SubmitStatistics(string nodeId, ReportStatisticsRequest report)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            bool duplicate = _statistics.ContainsKey(nodeId);
            _statistics[nodeId] = report;
            if (_statistics.Count == Expected.Count) _allAnswered.TrySetResult();
            return duplicate ? SubmitResult.Duplicate : SubmitResult.Accepted;
        }
    }

    /// <summary>Records a node's answer to an analysis task (or its refusal); a repeated report replaces the earlier one.</summary>
    public SubmitResult SubmitAnalysis(string nodeId, ReportAnalysisRequest report)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            bool duplicate = _analysis.ContainsKey(nodeId);
            _analysis[nodeId] = report;
            if (_analysis.Count == Expected.Count) _allAnswered.TrySetResult();
            return duplicate ? SubmitResult.Duplicate : SubmitResult.Accepted;
        }
    }

    /// <summary>
    /// Records that a node cannot run its task of this round (one per model label in cross-site rounds): it counts as
    /// answered, so the round does not wait for it. A refusal after the node's update or metrics is a duplicate.
    /// </summary>
    public SubmitResult SubmitRefusal(string nodeId, string modelLabel, string reason)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            if (_updates.ContainsKey(nodeId) || _metrics.ContainsKey((nodeId, modelLabel)) || !_refusals.TryAdd((nodeId, modelLabel), reason))
                return SubmitResult.Duplicate;
            CheckAllAnswered();
            return SubmitResult.Accepted;
        }
    }

    // Under the lock: an update, or metrics for every label, or a refusal of each, from every expected node.
    private void CheckAllAnswered()
    {
        bool all = Phase is RoundPhase.Initialize or RoundPhase.Fit
            ? Expected.All(c => _updates.ContainsKey(c.NodeId) || _refusals.ContainsKey((c.NodeId, "")))
            : Expected.All(c => ModelLabels.All(l => _metrics.ContainsKey((c.NodeId, l)) || _refusals.ContainsKey((c.NodeId, l))));
        if (all) _allAnswered.TrySetResult();
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

    /// <summary>Stops accepting answers and returns what arrived: updates by node id, metrics by (node id, model label).</summary>
    public RoundAnswers Close()
    {
        lock (_gate)
        {
            _closed = true;
            return new RoundAnswers(new Dictionary<string, ClientUpdate>(_updates),
                new Dictionary<(string, string), IReadOnlyList<RegionMetrics>>(_metrics),
                new Dictionary<string, ReportStatisticsRequest>(_statistics))
            {
                Analysis = new Dictionary<string, ReportAnalysisRequest>(_analysis),
                Refusals = new Dictionary<(string, string), string>(_refusals),
            };
        }
    }
}

/// <summary>What an <see cref="OpenRound"/> collected.</summary>
/// <param name="Updates">Accepted updates by node id.</param>
/// <param name="Metrics">Reported metrics by (node id, model label); the label is empty for federated evaluation.</param>
/// <param name="Statistics">Statistics reports (or refusals) by node id.</param>
public sealed record RoundAnswers(IReadOnlyDictionary<string, ClientUpdate> Updates,
    IReadOnlyDictionary<(string NodeId, string Label), IReadOnlyList<RegionMetrics>> Metrics,
    IReadOnlyDictionary<string, ReportStatisticsRequest> Statistics)
{
    /// <summary>Answers to an analysis task (or refusals) by node id.</summary>
    public IReadOnlyDictionary<string, ReportAnalysisRequest> Analysis { get; init; } = new Dictionary<string, ReportAnalysisRequest>();

    /// <summary>Refusals of the round's tasks by (node id, model label), with each region's reason.</summary>
    public IReadOnlyDictionary<(string NodeId, string Label), string> Refusals { get; init; } = new Dictionary<(string, string), string>();

    /// <summary>Whether the node sent its update, or its metrics for every one of <paramref name="labels"/>.</summary>
    public bool AnsweredFully(string nodeId, IReadOnlyList<string> labels) =>
        Updates.ContainsKey(nodeId) || Statistics.ContainsKey(nodeId) || Analysis.ContainsKey(nodeId) || labels.All(l => Metrics.ContainsKey((nodeId, l)));

    /// <summary>"Region: reason" for each node of <paramref name="expected"/> that refused a task of the round.</summary>
    public IReadOnlyList<string> RefusalsOf(IReadOnlyList<AvailableClient> expected) =>
        [.. expected.SelectMany(c => Refusals.Where(r => r.Key.NodeId == c.NodeId)
            .Select(r => r.Key.Label.Length > 0 ? $"{c.Region} ({r.Key.Label}): {r.Value}" : $"{c.Region}: {r.Value}"))];
}
