using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Metrics;

/// <summary>
/// The federation's meters (<see cref="MeterName"/>), recorded at the engine's seams: rounds completed and their
/// duration (a round's summary), aggregation time (a fit round's aggregate), model bytes up and down, updates by outcome
/// and reason, connected nodes, jobs by state and whether the revocation list in use is past its next update. Names
/// follow Prometheus' conventions once exported (OpenTelemetry adds <c>_total</c> to counters and the unit to
/// histograms: <c>fedcare_rounds_completed_total</c>,
/// <c>fedcare_round_duration_seconds</c>). Nothing recorded is derived from data cells: counts, sizes and times only.
/// The meter and its instruments are one per process, never disposed: OpenTelemetry identifies an instrument by its
/// meter's and its own name, so two coordinators in one process (the tests) would share one metric stream per
/// instrument and the first one disposed would end it for the other. Instances record into them; the gauges add up the
/// live instances (one in a coordinator process, so its figures are exact).
/// </summary>
public sealed class FederationMetrics : IDisposable
{
    /// <summary>The meter's name, which an exporter subscribes to.</summary>
    public const string MeterName = "FederatedCare.Coordinator";

    // Buckets in seconds, from a fast aggregation to a round waiting for its deadline (exporters' defaults are for ms).
    private static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] };

    private static readonly Meter SharedMeter = new(MeterName);
    private static readonly ConcurrentDictionary<FederationMetrics, byte> Live = new();
    private static readonly Counter<long> Rounds =
        SharedMeter.CreateCounter<long>("fedcare_rounds_completed", description: "Rounds completed (fit and evaluation), all jobs.");
    private static readonly Histogram<double> RoundDuration =
        SharedMeter.CreateHistogram("fedcare_round_duration", unit: "s", description: "Wall time of a completed round.", tags: null, advice: Seconds);
    private static readonly Histogram<double> Aggregation =
        SharedMeter.CreateHistogram("fedcare_aggregation", unit: "s", description: "Time to aggregate a fit round's accepted updates.", tags: null, advice: Seconds);
    private static readonly Counter<long> UploadBytes =
        SharedMeter.CreateCounter<long>("fedcare_upload_bytes", unit: "By", description: "Bytes of accepted model updates received from nodes.");
    private static readonly Counter<long> DownloadBytes =
        SharedMeter.CreateCounter<long>("fedcare_download_bytes", unit: "By", description: "Bytes of global models sent to nodes.");
    private static readonly Counter<long> Updates =
        SharedMeter.CreateCounter<long>("fedcare_updates", description: "Model updates by outcome (accepted, duplicate, rejected) and reason (a gRPC status code).");
    private static readonly ObservableGauge<int> ConnectedNodes =
        SharedMeter.CreateObservableGauge("fedcare_connected_nodes", () => Live.Keys.Sum(m => m._connectedNodes?.Invoke() ?? 0), description: "Nodes with an open task stream.");
    private static readonly ObservableGauge<int> StaleRevocationList =
        SharedMeter.CreateObservableGauge("fedcare_revocation_list_stale", () => Live.Keys.Count(m => m._revocationListStale?.Invoke() == true),
            description: "1 while the revocation list in use is past its next update (it stays in force; copy a newer crl.pem), else 0.");
    private static readonly ObservableGauge<int> Jobs =
        SharedMeter.CreateObservableGauge("fedcare_jobs", ObserveJobs, description: "Jobs known to the coordinator, by state.");

    private readonly Func<int>? _connectedNodes;
    private readonly Func<bool>? _revocationListStale;
    private readonly ConcurrentDictionary<string, JobState> _jobs = new(StringComparer.Ordinal);

    /// <summary>This coordinator's figures, recorded into the process's instruments until disposed.</summary>
    /// <param name="connectedNodes">Counts the nodes with an open task stream when the gauge is read; null: none counted.</param>
    /// <param name="revocationListStale">Whether the revocation list in use is past its next update; null: no list (plaintext).</param>
    public FederationMetrics(Func<int>? connectedNodes = null, Func<bool>? revocationListStale = null)
    {
        _connectedNodes = connectedNodes;
        _revocationListStale = revocationListStale;
        Live[this] = 0;
    }

    /// <summary>A round completed after <paramref name="durationSeconds"/> of wall time.</summary>
    public void RoundCompleted(double durationSeconds)
    {
        Rounds.Add(1);
        if (durationSeconds >= 0 && double.IsFinite(durationSeconds)) RoundDuration.Record(durationSeconds);
    }

    /// <summary>Starts timing one aggregation; dispose the result when the new global model is there.</summary>
    public AggregationTimer TimeAggregation() => new(Stopwatch.GetTimestamp());

    /// <summary>An accepted update's payload of <paramref name="bytes"/> arrived.</summary>
    public void Uploaded(long bytes) => UploadBytes.Add(bytes);

    /// <summary>A global model of <paramref name="bytes"/> was sent to a node.</summary>
    public void Downloaded(long bytes) => DownloadBytes.Add(bytes);

    /// <summary>An update ended with <paramref name="outcome"/>; <paramref name="reason"/> is a status code's name or empty.</summary>
    public void Update(string outcome, string reason = "") =>
        Updates.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The job's state as last stored (seeded from the store at start, then from every status change).</summary>
    public void JobChanged(string jobId, JobState state) => _jobs[jobId] = state;

    /// <inheritdoc />
    public void Dispose() => Live.TryRemove(this, out _);

    private static IEnumerable<Measurement<int>> ObserveJobs()
    {
        var byState = Live.Keys.SelectMany(m => m._jobs.Values).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        foreach (var state in Enum.GetValues<JobState>().Where(s => s != JobState.Unspecified))
            yield return new Measurement<int>(byState.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
    }

    /// <summary>Records the aggregation time when disposed.</summary>
    public readonly struct AggregationTimer(long started) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => FederationMetrics.Aggregation.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
