namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary>
/// <see cref="ICoordinatorStore"/> in process memory, for the simulator and tests: the same contract as the database
/// stores (the repository contract tests run against all three), nothing survives the process. Rows are cloned on the
/// way in and out, so callers never share mutable state with the store. Thread-safe (one lock per repository).
/// </summary>
public sealed class InMemoryCoordinatorStore : ICoordinatorStore
{
    private readonly InMemoryMetricRepository _metrics = new();

    /// <summary>An empty store.</summary>
    /// <param name="time">Stamps updated_at of job updates; the system clock when null.</param>
    public InMemoryCoordinatorStore(TimeProvider? time = null)
    {
        Jobs = new InMemoryJobRepository(time ?? TimeProvider.System);
        Rounds = new InMemoryRoundRepository(_metrics);
    }

    /// <inheritdoc />
    public IJobRepository Jobs { get; }

    /// <inheritdoc />
    public IRoundRepository Rounds { get; }

    /// <inheritdoc />
    public IMetricRepository Metrics => _metrics;

    /// <inheritdoc />
    public IAuditRepository Audit { get; } = new InMemoryAuditRepository();

    /// <inheritdoc />
    public IModelStore Models { get; } = new InMemoryModelStore();

    /// <inheritdoc />
    public IAnalysisRepository Analyses { get; } = new InMemoryAnalysisRepository();

    /// <inheritdoc />
    public Task<StoreHealth> CheckHealthAsync(CancellationToken ct = default) => Task.FromResult(new StoreHealth(true, "in memory"));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
