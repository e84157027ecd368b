using System.Collections.Concurrent;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The models nodes download in the current phase of each running job (the global model; SCAFFOLD's control variate;
/// the local models under cross-site validation), so every node's DownloadModel does not re-read them from disk.
/// Anything else is read from the store.
/// </summary>
public sealed class ModelCache
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ModelParameters>> _current = new(StringComparer.Ordinal);

    /// <summary>Replaces the job's cached models with these, keyed by SHA-256.</summary>
    public void Set(string jobId, params IEnumerable<(string Sha256, ModelParameters Model)> models) =>
        _current[jobId] = models.DistinctBy(m => m.Sha256).ToDictionary(m => m.Sha256, m => m.Model, StringComparer.OrdinalIgnoreCase);

    public ModelParameters? Find(string jobId, string sha256) =>
        _current.TryGetValue(jobId, out var models) && models.TryGetValue(sha256, out var model) ? model : null;

    public void Remove(string jobId) => _current.TryRemove(jobId, out _);
}
