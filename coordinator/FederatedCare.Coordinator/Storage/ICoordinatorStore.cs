using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Storage;

/// <summary>
/// Durable coordinator state: jobs, rounds, per-region metrics, the audit log and the global model checkpoints.
/// Every method has completed its write to disk when its task completes, so callers persist before they acknowledge.
/// </summary>
public interface ICoordinatorStore
{
    /// <summary>Stores a new job; returns false (and stores nothing) when a job with that id already exists.</summary>
    Task<bool> TryCreateJobAsync(JobStatus job, CancellationToken ct = default);

    /// <summary>The job, or null when unknown.</summary>
    Task<JobStatus?> GetJobAsync(string jobId, CancellationToken ct = default);

    /// <summary>All jobs, oldest first.</summary>
    Task<IReadOnlyList<JobStatus>> ListJobsAsync(CancellationToken ct = default);

    /// <summary>
    /// Changes a job's state, current round and/or message (null leaves a field as it is). A job in a terminal state
    /// (succeeded, failed, aborted) never changes again: then nothing is written and null is returned.
    /// </summary>
    Task<JobStatus?> UpdateJobAsync(string jobId, JobState? state = null, int? currentRound = null, string? message = null,
        CancellationToken ct = default);

    /// <summary>
    /// Writes the global model after <paramref name="round.Round"/> to <c>models/&lt;job&gt;/round-&lt;r&gt;.safetensors</c>
    /// (atomically) and inserts or replaces the round row. <c>round.ModelSha256</c> must be the model's SHA-256.
    /// </summary>
    Task SaveRoundAsync(string jobId, RoundSummary round, ModelParameters globalModel, CancellationToken ct = default);

    /// <summary>Marks a round as complete (its summary was published) at the given time, after the given duration.</summary>
    Task CompleteRoundAsync(string jobId, int round, DateTimeOffset completedAt, double durationSeconds, CancellationToken ct = default);

    /// <summary>The rounds of a job in round order, each with its stored metrics; completed_at is unset until complete.</summary>
    Task<IReadOnlyList<RoundSummary>> ListRoundsAsync(string jobId, CancellationToken ct = default);

    /// <summary>The global model after a round (round &lt; 0: the latest stored), or null when there is none.</summary>
    Task<(int Round, ModelParameters Model)?> LoadGlobalModelAsync(string jobId, int round, CancellationToken ct = default);

    /// <summary>The global model with this SHA-256 within a job, or null.</summary>
    Task<ModelParameters?> FindGlobalModelAsync(string jobId, string sha256, CancellationToken ct = default);

    /// <summary>Inserts or replaces metrics, keyed by (job, round, region, split).</summary>
    Task SaveMetricsAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default);

    /// <summary>Metrics of one round, or of all rounds when <paramref name="round"/> &lt; 0; ordered by round, region, split.</summary>
    Task<IReadOnlyList<RegionMetrics>> GetMetricsAsync(string jobId, int round, CancellationToken ct = default);

    /// <summary>Appends an audit entry.</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Audit entries, oldest first, optionally of one job only.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? jobId = null, CancellationToken ct = default);
}
