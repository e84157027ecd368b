using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Durable coordinator state: jobs, rounds, per-region metrics, cross-site matrices, the audit log, the global model
/// checkpoints and other tensor sets of a job (local models, SCAFFOLD control variates).
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

    /// <summary>
    /// The tensors with this SHA-256 within a job: a global model or a tensor set (<see cref="SaveTensorSetAsync"/>),
    /// or null. Models are content-addressed, so any match holds the same values.
    /// </summary>
    Task<ModelParameters?> FindModelAsync(string jobId, string sha256, CancellationToken ct = default);

    /// <summary>
    /// Writes a named tensor set of a job that is not a round's global model (e.g. <c>local-&lt;region&gt;</c>,
    /// <c>control-&lt;round&gt;</c>) to <c>models/&lt;job&gt;/&lt;name&gt;.safetensors</c> (atomically, the name
    /// URI-escaped) and records its SHA-256 so <see cref="FindModelAsync"/> serves it; a set of the same name is replaced.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or starts with <c>round-</c> (the global models' files).</exception>
    Task SaveTensorSetAsync(string jobId, string name, ModelParameters tensors, CancellationToken ct = default);

    /// <summary>The job's tensor sets whose name starts with <paramref name="prefix"/>, ordered by name, with their SHA-256.</summary>
    Task<IReadOnlyList<(string Name, string Sha256)>> ListTensorSetsAsync(string jobId, string prefix, CancellationToken ct = default);

    /// <summary>Inserts or replaces cross-site validation cells, keyed by (job, model label, region, split).</summary>
    Task SaveCrossSiteAsync(string jobId, IEnumerable<CrossSiteEntry> entries, CancellationToken ct = default);

    /// <summary>The job's cross-site validation cells ordered by model label, region and split; empty when none.</summary>
    Task<IReadOnlyList<CrossSiteEntry>> GetCrossSiteAsync(string jobId, CancellationToken ct = default);

    /// <summary>Inserts or replaces metrics, keyed by (job, round, region, split).</summary>
    Task SaveMetricsAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default);

    /// <summary>Metrics of one round, or of all rounds when <paramref name="round"/> &lt; 0; ordered by round, region, split.</summary>
    Task<IReadOnlyList<RegionMetrics>> GetMetricsAsync(string jobId, int round, CancellationToken ct = default);

    /// <summary>Appends an audit entry.</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Audit entries, oldest first, optionally of one job only.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? jobId = null, CancellationToken ct = default);
}
