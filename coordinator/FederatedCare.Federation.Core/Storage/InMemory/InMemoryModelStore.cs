using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary>
/// <see cref="IModelStore"/> in memory: models are kept by reference (a <see cref="ModelParameters"/> is immutable
/// by convention), names point at hashes; a model leaves memory once no name points at it.
/// </summary>
internal sealed class InMemoryModelStore : IModelStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Job, string Sha256), ModelParameters> _models = [];
    private readonly Dictionary<(string Job, string Name), string> _names = [];

    public Task<string> SaveAsync(string jobId, string name, ModelParameters model, string? knownSha256 = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ct.ThrowIfCancellationRequested();
        var sha = (knownSha256 ?? model.ComputeSha256()).ToLowerInvariant();
        lock (_lock)
        {
            _models[(jobId, sha)] = model;
            _names[(jobId, name)] = sha;
        }
        return Task.FromResult(sha);
    }

    public async Task<Stream?> OpenReadAsync(string jobId, string sha256, CancellationToken ct = default)
    {
        if (await ReadAsync(jobId, sha256, ct).ConfigureAwait(false) is not { } model) return null;
        var stream = new MemoryStream();
        await SafeTensorStreams.WriteAsync(model, stream, model.Metadata, ct).ConfigureAwait(false);
        stream.Position = 0;
        return stream;
    }

    public Task<ModelParameters?> ReadAsync(string jobId, string sha256, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock) return Task.FromResult(_models.GetValueOrDefault((jobId, sha256.ToLowerInvariant())));
    }

    public Task DeleteAsync(string jobId, string name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_names.Remove((jobId, name), out var sha) && !_names.Any(kv => kv.Key.Job == jobId && kv.Value == sha))
                _models.Remove((jobId, sha));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string Name, string Sha256)>> ListAsync(string jobId, string prefix, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult<IReadOnlyList<(string, string)>>(_names
                .Where(kv => kv.Key.Job == jobId && kv.Key.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(kv => kv.Key.Name, StringComparer.Ordinal).Select(kv => (kv.Key.Name, kv.Value)).ToList());
    }

    /// <summary>Removes every model and name of the job (<see cref="InMemoryCoordinatorStore.DeleteJobAsync"/>).</summary>
    internal void RemoveJob(string jobId)
    {
        lock (_lock)
        {
            foreach (var key in _names.Keys.Where(k => k.Job == jobId).ToList()) _names.Remove(key);
            foreach (var key in _models.Keys.Where(k => k.Job == jobId).ToList()) _models.Remove(key);
        }
    }
}
