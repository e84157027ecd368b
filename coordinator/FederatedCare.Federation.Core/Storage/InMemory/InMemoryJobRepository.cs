using FederatedCare.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary><see cref="IJobRepository"/> in memory, in creation order.</summary>
internal sealed class InMemoryJobRepository(TimeProvider time) : IJobRepository
{
    private readonly Lock _lock = new();
    private readonly List<JobStatus> _jobs = [];

    public Task<bool> TryCreateAsync(JobStatus job, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_jobs.Any(j => j.JobId == job.JobId)) return Task.FromResult(false);
            var stored = job.Clone();
            stored.Spec ??= new JobSpec();
            // Times are kept to the millisecond, as the databases keep them.
            stored.CreatedAt = Milliseconds(job.CreatedAt);
            stored.UpdatedAt = Milliseconds(job.UpdatedAt);
            _jobs.Add(stored);
            return Task.FromResult(true);
        }
    }

    public Task<JobStatus?> GetAsync(string jobId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock) return Task.FromResult(_jobs.Find(j => j.JobId == jobId)?.Clone());
    }

    public Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult<IReadOnlyList<JobStatus>>(
                _jobs.Select((j, i) => (j, i)).OrderBy(x => x.j.CreatedAt.ToDateTimeOffset()).ThenBy(x => x.i).Select(x => x.j.Clone()).ToList());
    }

    public Task<JobStatus?> UpdateAsync(string jobId, JobState? state = null, int? currentRound = null, string? message = null,
        CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var job = _jobs.Find(j => j.JobId == jobId);
            if (job is null || JobStates.IsTerminal(job.State)) return Task.FromResult<JobStatus?>(null);
            if (state is { } s) job.State = s;
            if (currentRound is { } r) job.CurrentRound = r;
            if (message is not null) job.Message = message;
            job.UpdatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()));
            return Task.FromResult<JobStatus?>(job.Clone());
        }
    }

    private static Timestamp Milliseconds(Timestamp? t) =>
        Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(t is null ? 0 : t.ToDateTimeOffset().ToUnixTimeMilliseconds()));

    /// <summary>Removes the job if it is finished (<see cref="InMemoryCoordinatorStore.DeleteJobAsync"/>).</summary>
    internal JobDeletion RemoveFinished(string jobId)
    {
        lock (_lock)
        {
            var job = _jobs.Find(j => j.JobId == jobId);
            if (job is null) return JobDeletion.NotFound;
            if (!JobStates.IsTerminal(job.State)) return JobDeletion.NotFinished;
            _jobs.Remove(job);
            return JobDeletion.Deleted;
        }
    }
}
