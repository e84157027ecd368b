using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary><see cref="IMetricRepository"/> in memory: one table of rows keyed as the databases key them.</summary>
internal sealed class InMemoryMetricRepository : IMetricRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Job, MetricKind Kind, string Label, int Round, string Region, string Split), RegionMetrics> _rows = [];

    public Task SaveAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var rows = metrics.Select(m => m.Clone()).ToList();
        lock (_lock)
            foreach (var m in rows) _rows[(jobId, MetricKind.Federated, "", m.Round, m.Region, m.Split)] = m;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RegionMetrics>> ListAsync(string jobId, int? round, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult<IReadOnlyList<RegionMetrics>>(_rows
                .Where(kv => kv.Key.Job == jobId && kv.Key.Kind == MetricKind.Federated && (round is null or < 0 || kv.Key.Round == round))
                .OrderBy(kv => kv.Key.Round).ThenBy(kv => kv.Key.Region, StringComparer.Ordinal).ThenBy(kv => kv.Key.Split, StringComparer.Ordinal)
                .Select(kv => kv.Value.Clone()).ToList());
    }

    public Task SaveCrossSiteAsync(string jobId, IEnumerable<CrossSiteEntry> entries, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var rows = entries.Select(e => (e.ModelLabel, Metrics: e.Metrics.Clone())).ToList();
        lock (_lock)
            foreach (var (label, m) in rows)
            {
                // A cell is keyed without its round: a newer cell of the same label, region and split replaces it.
                foreach (var key in _rows.Keys.Where(k => k.Job == jobId && k.Kind == MetricKind.CrossSite && k.Label == label
                                                          && k.Region == m.Region && k.Split == m.Split).ToList())
                    _rows.Remove(key);
                _rows[(jobId, MetricKind.CrossSite, label, m.Round, m.Region, m.Split)] = m;
            }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CrossSiteEntry>> ListCrossSiteAsync(string jobId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult<IReadOnlyList<CrossSiteEntry>>(_rows
                .Where(kv => kv.Key.Job == jobId && kv.Key.Kind == MetricKind.CrossSite)
                .OrderBy(kv => kv.Key.Label, StringComparer.Ordinal).ThenBy(kv => kv.Key.Region, StringComparer.Ordinal)
                .ThenBy(kv => kv.Key.Split, StringComparer.Ordinal)
                .Select(kv => new CrossSiteEntry { ModelLabel = kv.Key.Label, Metrics = kv.Value.Clone() }).ToList());
    }

    /// <summary>Removes every metrics and cross-site row of the job (<see cref="InMemoryCoordinatorStore.DeleteJobAsync"/>).</summary>
    internal void RemoveJob(string jobId)
    {
        lock (_lock) foreach (var key in _rows.Keys.Where(k => k.Job == jobId).ToList()) _rows.Remove(key);
    }
}
