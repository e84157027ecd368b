using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>Jobs, keyed by job id.</summary>
public interface IJobRepository
{
    /// <summary>Stores a new job; returns false (and stores nothing) when a job with that id already exists.</summary>
    Task<bool> TryCreateAsync(JobStatus job, CancellationToken ct = default);

    /// <summary>The job, or null when unknown.</summary>
    Task<JobStatus?> GetAsync(string jobId, CancellationToken ct = default);

    /// <summary>All jobs, oldest first (ties in creation order).</summary>
    Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken ct = default);

    /// <summary>
    /// Changes a job's state, current round and/or message (null leaves a field as it is) and stamps updated_at.
    /// A job in a terminal state (<see cref="JobStates.Terminal"/>) never changes again: then nothing is written and
    /// null is returned; null also when the job is unknown.
    /// </summary>
    Task<JobStatus?> UpdateAsync(string jobId, JobState? state = null, int? currentRound = null, string? message = null,
        CancellationToken ct = default);
}
