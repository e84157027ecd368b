namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// The append-only audit log, hash-chained (<see cref="Protos.Wire.AuditChain"/>): each append takes the next seq and
/// chains onto the last entry's hash in one transaction, so concurrent appends cannot fork the chain.
/// </summary>
public interface IAuditRepository
{
    /// <summary>Appends an entry as the chain's next (seq, prev_hash, hash).</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>
    /// The chained entries passing <paramref name="filter"/> with seq above <paramref name="afterSeq"/>, in chain order,
    /// at most <paramref name="limit"/> (1 to <see cref="AuditRecords.MaxPage"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1 to <see cref="AuditRecords.MaxPage"/>.</exception>
    Task<IReadOnlyList<Protos.V1.AuditRecord>> ListChainAsync(AuditFilter filter, long afterSeq, int limit, CancellationToken ct = default);

    /// <summary>Entries in the order they were appended, optionally of one job only.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? jobId = null, CancellationToken ct = default);
}
