using System.Security.Cryptography;
using System.Text.Json;
using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The hash chain of the coordinator's audit table. An entry's hash is the SHA-256 (lower-case hex) of the UTF-8 JSON
/// array <c>[seq, time_unix_ms, actor, action, job_id, round|null, detail, prev_hash]</c> (System.Text.Json's
/// default escaping, so the bytes are the same on every platform); <c>prev_hash</c> is the previous entry's hash, and
/// <see cref="GenesisHash"/> for entry 1. Changing, removing or reordering an entry breaks the chain at that entry.
/// The coordinator computes it when it appends; <c>fedcare audit --verify</c> recomputes it from the listed entries.
/// </summary>
public static class AuditChain
{
    /// <summary>The <c>prev_hash</c> of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The hash of <paramref name="record"/> as chained after its <see cref="AuditRecord.PrevHash"/> (its own <c>hash</c> is ignored).</summary>
    public static string Hash(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteNumberValue(record.Seq);
            json.WriteNumberValue(record.TimeUnixMs);
            json.WriteStringValue(record.Actor);
            json.WriteStringValue(record.Action);
            json.WriteStringValue(record.JobId);
            if (record.HasRound) json.WriteNumberValue(record.Round);
            else json.WriteNullValue();
            json.WriteStringValue(record.Detail);
            json.WriteStringValue(record.PrevHash);
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>
    /// Checks <paramref name="records"/>, the whole chain in order: seq runs 1, 2, 3…, each <c>prev_hash</c> is the
    /// previous entry's hash and each hash matches its entry.
    /// </summary>
    /// <returns>The number of entries, or the first broken entry (its position in the chain and why).</returns>
    public static AuditChainVerification Verify(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        string prev = GenesisHash;
        long at = 0;
        foreach (var r in records)
        {
            at++;
            if (r.Seq != at) return AuditChainVerification.Broken(at, $"seq is {r.Seq}, expected {at} (an entry was removed or moved)");
            if (r.PrevHash != prev) return AuditChainVerification.Broken(at, "prev_hash does not match the previous entry's hash (an entry was removed, moved or changed)");
            if (Hash(r) != r.Hash) return AuditChainVerification.Broken(at, "hash does not match the entry (the entry was changed)");
            prev = r.Hash;
        }
        return new AuditChainVerification(true, at, prev, null);
    }
}

/// <summary>The result of <see cref="AuditChain.Verify"/>.</summary>
/// <param name="Valid">Whether the whole chain verifies.</param>
/// <param name="Entries">Entries checked (broken: the position of the broken entry).</param>
/// <param name="LastHash">The last entry's hash when valid; empty otherwise.</param>
/// <param name="Error">Why the chain is broken, naming the entry (<c>entry 7: …</c>); null when valid.</param>
public sealed record AuditChainVerification(bool Valid, long Entries, string LastHash, string? Error)
{
    internal static AuditChainVerification Broken(long at, string why) => new(false, at, "", $"entry {at}: {why}");
}
