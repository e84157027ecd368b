using System.Collections.Concurrent;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// The current global model of each running job, so every node's DownloadModel in a round does not re-read the
/// checkpoint from disk. Older models are read from the store.
/// </summary>
internal sealed class GlobalModelCache
{
    private readonly ConcurrentDictionary<string, (string Sha256, ModelParameters Model)> _current = new(StringComparer.Ordinal);

    public void Set(string jobId, string sha256, ModelParameters model) => _current[jobId] = (sha256, model);

    public ModelParameters? Find(string jobId, string sha256) =>
        _current.TryGetValue(jobId, out var e) && string.Equals(e.Sha256, sha256, StringComparison.OrdinalIgnoreCase) ? e.Model : null;

    public void Remove(string jobId) => _current.TryRemove(jobId, out _);
}
