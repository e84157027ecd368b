namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Durable coordinator state, one repository per aggregate: jobs, rounds (with their privacy spend), metrics
/// (federated and cross-site rows in one table), the audit log, the results of analysis jobs, and the content-addressed model files of each job.
/// Every write has reached the database (and the disk, for model files) when its task completes, so callers persist
/// before they acknowledge. Implementations: in memory (<see cref="InMemory.InMemoryCoordinatorStore"/>, for the simulator and
/// tests), SQLite and PostgreSQL (in the coordinator).
/// </summary>
public interface ICoordinatorStore : IAsyncDisposable
{
    /// <summary>Jobs: spec, state, current round, message.</summary>
    IJobRepository Jobs { get; }

    /// <summary>Rounds of each job, each with its global model's SHA-256 and its privacy spend.</summary>
    IRoundRepository Rounds { get; }

    /// <summary>Per-region metrics of rounds and the cross-site validation matrix.</summary>
    IMetricRepository Metrics { get; }

    /// <summary>The append-only audit log.</summary>
    IAuditRepository Audit { get; }

    /// <summary>Model files (global models, local models, control variates), addressed by SHA-256 and named per job.</summary>
    IModelStore Models { get; }

    /// <summary>The results of analysis jobs, one per (job, step).</summary>
    IAnalysisRepository Analyses { get; }

    /// <summary>
    /// Deletes a finished job (<see cref="JobStates.Terminal"/>): its job row, rounds with their privacy spend, metrics
    /// and cross-site rows, analysis results and model names in one transaction, then its model files. The audit log
    /// keeps every entry of the job (its hash chain must not change). A pending or running job, or an unknown id,
    /// changes nothing.
    /// </summary>
    Task<JobDeletion> DeleteJobAsync(string jobId, CancellationToken ct = default);

    /// <summary>
    /// Opens the database for a real query and checks that the model folder is there and writable.
    /// Never throws for an unavailable store: the answer says why.
    /// </summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken ct = default);
}

/// <summary>The answer of <see cref="ICoordinatorStore.CheckHealthAsync"/>.</summary>
/// <param name="Healthy">True when the database answered and the model folder is usable.</param>
/// <param name="Description">What was checked, or why it failed (one line).</param>
public sealed record StoreHealth(bool Healthy, string Description);
