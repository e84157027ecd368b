namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary>
/// <see cref="ICoordinatorStore"/> in process memory, for the simulator and tests: the same contract as the database
/// stores (the repository contract tests run against all three), nothing survives the process. Rows are cloned on the
/// way in and out, so callers never share mutable state with the store. Thread-safe (one lock per repository).
/// </summary>
public sealed class InMemoryCoordinatorStore : ICoordinatorStore
{
    private readonly InMemoryMetricRepository _metrics = new();
    private readonly InMemoryJobRepository _jobs;
    private readonly InMemoryRoundRepository _rounds;
    private readonly InMemoryModelStore _models = new();
    private readonly InMemoryAnalysisRepository _analyses = new();

    /// <summary>An empty store.</summary>
    /// <param name="time">Stamps updated_at of job updates; the system clock when null.</param>
    public InMemoryCoordinatorStore(TimeProvider? time = null)
    {
        _jobs = new InMemoryJobRepository(time ?? TimeProvider.System);
        _rounds = new InMemoryRoundRepository(_metrics);
    }

    /// <inheritdoc />
    public IJobRepository Jobs => _jobs;

    /// <inheritdoc />
    public IRoundRepository Rounds => _rounds;

    /// <inheritdoc />
    public IMetricRepository Metrics => _metrics;

    /// <inheritdoc />
    public IAuditRepository Audit { get; } = new InMemoryAuditRepository();

    /// <inheritdoc />
    public IModelStore Models => _models;

    /// <inheritdoc />
    public IAnalysisRepository Analyses => _analyses;

    /// <inheritdoc />
    public Task<JobDeletion> DeleteJobAsync(string jobId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        // The job row first: once it is gone (finished jobs get no more writes) the rest follows.
        var deletion = _jobs.RemoveFinished(jobId);
        if (deletion != JobDeletion.Deleted) return Task.FromResult(deletion);
        _rounds.RemoveJob(jobId);
        _metrics.RemoveJob(jobId);
        _analyses.RemoveJob(jobId);
        _models.RemoveJob(jobId);
        return Task.FromResult(deletion);
    }

    /// <inheritdoc />
    public Task<StoreHealth> CheckHealthAsync(CancellationToken ct = default) => Task.FromResult(new StoreHealth(true, "in memory"));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
