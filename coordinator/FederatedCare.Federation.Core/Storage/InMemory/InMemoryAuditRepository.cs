namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary><see cref="IAuditRepository"/> in memory, chained under its lock.</summary>
internal sealed class InMemoryAuditRepository : IAuditRepository
{
    private readonly Lock _lock = new();
    private readonly List<AuditEntry> _entries = [];
    private readonly List<Protos.V1.AuditRecord> _chain = [];

    public Task AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        // Kept to the millisecond, as the databases keep it.
        var stored = entry with { Time = DateTimeOffset.FromUnixTimeMilliseconds(entry.Time.ToUnixTimeMilliseconds()) };
        lock (_lock)
        {
            _entries.Add(stored);
            _chain.Add(AuditRecords.Chain(stored, _chain.Count + 1, _chain.Count == 0 ? Protos.Wire.AuditChain.GenesisHash : _chain[^1].Hash));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Protos.V1.AuditRecord>> ListChainAsync(AuditFilter filter, long afterSeq, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, AuditRecords.MaxPage);
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult<IReadOnlyList<Protos.V1.AuditRecord>>(
                _chain.Where(r => r.Seq > afterSeq && filter.Matches(r)).Take(limit).Select(r => r.Clone()).ToList());
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(string? jobId = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock) return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Where(e => jobId is null || e.JobId == jobId).ToList());
    }
}
