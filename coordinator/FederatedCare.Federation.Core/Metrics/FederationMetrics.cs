using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Metrics;

/// <summary>
/// The federation's meters (<see cref="MeterName"/>), recorded at the engine's seams: rounds completed and their
/// duration (a round's summary), aggregation time (a fit round's aggregate), model bytes up and down, updates by outcome
/// and reason, connected nodes and jobs by state. Names follow Prometheus' conventions once exported (OpenTelemetry adds
/// <c>_total</c> to counters and the unit to histograms: <c>fedcare_rounds_completed_total</c>,
/// <c>fedcare_round_duration_seconds</c>). Nothing recorded is derived from data cells: counts, sizes and times only.
/// </summary>
public sealed class FederationMetrics : IDisposable
{
    /// <summary>The meter's name, which an exporter subscribes to.</summary>
    public const string MeterName = "FederatedCare.Coordinator";

    // Buckets in seconds, from a fast aggregation to a round waiting for its deadline (exporters' defaults are for ms).
    private static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] };

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _rounds;
    private readonly Histogram<double> _roundDuration;
    private readonly Histogram<double> _aggregation;
    private readonly Counter<long> _uploadBytes;
    private readonly Counter<long> _downloadBytes;
    private readonly Counter<long> _updates;
    private readonly ConcurrentDictionary<string, JobState> _jobs = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments.</summary>
    /// <param name="connectedNodes">Counts the nodes with an open task stream when the gauge is read; null: no gauge.</param>
    public FederationMetrics(Func<int>? connectedNodes = null)
    {
        _rounds = _meter.CreateCounter<long>("fedcare_rounds_completed", description: "Rounds completed (fit and evaluation), all jobs.");
        _roundDuration = _meter.CreateHistogram("fedcare_round_duration", unit: "s", description: "Wall time of a completed round.", tags: null, advice: Seconds);
        _aggregation = _meter.CreateHistogram("fedcare_aggregation", unit: "s", description: "Time to aggregate a fit round's accepted updates.", tags: null, advice: Seconds);
        _uploadBytes = _meter.CreateCounter<long>("fedcare_upload_bytes", unit: "By", description: "Bytes of accepted model updates received from nodes.");
        _downloadBytes = _meter.CreateCounter<long>("fedcare_download_bytes", unit: "By", description: "Bytes of global models sent to nodes.");
        _updates = _meter.CreateCounter<long>("fedcare_updates", description: "Model updates by outcome (accepted, duplicate, rejected) and reason (a gRPC status code).");
        if (connectedNodes is not null)
            _meter.CreateObservableGauge("fedcare_connected_nodes", connectedNodes, description: "Nodes with an open task stream.");
        _meter.CreateObservableGauge("fedcare_jobs", ObserveJobs, description: "Jobs known to the coordinator, by state.");
    }

    /// <summary>A round completed after <paramref name="durationSeconds"/> of wall time.</summary>
    public void RoundCompleted(double durationSeconds)
    {
        _rounds.Add(1);
        if (durationSeconds >= 0 && double.IsFinite(durationSeconds)) _roundDuration.Record(durationSeconds);
    }

    /// <summary>Starts timing one aggregation; dispose the result when the new global model is there.</summary>
    public AggregationTimer TimeAggregation() => new(this, Stopwatch.GetTimestamp());

    /// <summary>An accepted update's payload of <paramref name="bytes"/> arrived.</summary>
    public void Uploaded(long bytes) => _uploadBytes.Add(bytes);

    /// <summary>A global model of <paramref name="bytes"/> was sent to a node.</summary>
    public void Downloaded(long bytes) => _downloadBytes.Add(bytes);

    /// <summary>An update ended with <paramref name="outcome"/>; <paramref name="reason"/> is a status code's name or empty.</summary>
    public void Update(string outcome, string reason = "") =>
        _updates.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The job's state as last stored (seeded from the store at start, then from every status change).</summary>
    public void JobChanged(string jobId, JobState state) => _jobs[jobId] = state;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObserveJobs()
    {
        var byState = _jobs.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        foreach (var state in Enum.GetValues<JobState>().Where(s => s != JobState.Unspecified))
            yield return new Measurement<int>(byState.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
    }

    /// <summary>Records the aggregation time when disposed.</summary>
    public readonly struct AggregationTimer(FederationMetrics metrics, long started) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => metrics._aggregation.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
