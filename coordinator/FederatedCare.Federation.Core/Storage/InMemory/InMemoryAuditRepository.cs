namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary><see cref="IAuditRepository"/> in memory.</summary>
internal sealed class InMemoryAuditRepository : IAuditRepository
{
    private readonly Lock _lock = new();
    private readonly List<AuditEntry> _entries = [];

    public Task AppendAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        // Kept to the millisecond, as the databases keep it.
        var stored = entry with { Time = DateTimeOffset.FromUnixTimeMilliseconds(entry.Time.ToUnixTimeMilliseconds()) };
        lock (_lock) _entries.Add(stored);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(string? jobId = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock) return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Where(e => jobId is null || e.JobId == jobId).ToList());
    }
}
