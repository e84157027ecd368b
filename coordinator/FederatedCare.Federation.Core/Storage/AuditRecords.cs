using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>Builds the chained form of an <see cref="AuditEntry"/> (<see cref="AuditChain"/>), as the repositories store it.</summary>
public static class AuditRecords
{
    /// <summary>The most entries one <see cref="IAuditRepository.ListChainAsync"/> call returns.</summary>
    public const int MaxPage = 1000;

    /// <summary><paramref name="entry"/> as entry <paramref name="seq"/> of the chain after <paramref name="prevHash"/>, its hash computed.</summary>
    public static AuditRecord Chain(AuditEntry entry, long seq, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var record = new AuditRecord
        {
            Seq = seq,
            TimeUnixMs = entry.Time.ToUnixTimeMilliseconds(),
            Actor = entry.Actor,
            Action = entry.Action,
            JobId = entry.JobId ?? "",
            Detail = entry.Detail,
            PrevHash = prevHash,
        };
        if (entry.Round is { } round) record.Round = round;
        record.Hash = AuditChain.Hash(record);
        return record;
    }
}
