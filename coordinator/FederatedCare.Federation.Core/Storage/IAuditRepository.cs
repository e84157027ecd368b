namespace FederatedCare.Federation.Core.Storage;

/// <summary>The append-only audit log.</summary>
public interface IAuditRepository
{
    /// <summary>Appends an entry.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Entries in the order they were appended, optionally of one job only.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? jobId = null, CancellationToken ct = default);
}
