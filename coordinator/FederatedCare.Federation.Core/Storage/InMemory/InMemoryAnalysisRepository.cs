using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary><see cref="IAnalysisRepository"/> in memory.</summary>
internal sealed class InMemoryAnalysisRepository : IAnalysisRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string JobId, int Step), AnalysisResult> _results = [];

    public Task SaveAsync(string jobId, AnalysisResult result, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock) _results[(jobId, result.Step)] = result.Clone();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AnalysisResult>> ListAsync(string jobId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult<IReadOnlyList<AnalysisResult>>(_results.Where(kv => kv.Key.JobId == jobId)
                .OrderBy(kv => kv.Key.Step).Select(kv => kv.Value.Clone()).ToList());
    }

    /// <summary>Removes every analysis result of the job (<see cref="InMemoryCoordinatorStore.DeleteJobAsync"/>).</summary>
    internal void RemoveJob(string jobId)
    {
        lock (_lock) foreach (var key in _results.Keys.Where(k => k.JobId == jobId).ToList()) _results.Remove(key);
    }
}
