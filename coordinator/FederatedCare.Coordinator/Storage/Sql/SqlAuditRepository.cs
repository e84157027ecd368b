using System.Data.Common;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// <see cref="IAuditRepository"/> on the <c>audit</c> table, hash-chained (<see cref="AuditChain"/>): an append reads
/// the last chained entry and inserts the next one in the same transaction, under <see cref="SqlDatabase.AuditLock"/>
/// (PostgreSQL: an advisory lock; SQLite has one writer), and the unique index on seq refuses a fork should two
/// appends ever meet.
/// </summary>
internal sealed class SqlAuditRepository(SqlDatabase db) : IAuditRepository
{
    private const string RecordColumns = "seq, time, actor, action, job_id, round, detail, prev_hash, hash";

    public Task AppendAsync(AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            var (seq, prev) = await LockLastAsync(c, tx, t).ConfigureAwait(false);
            var record = AuditRecords.Chain(entry, seq + 1, prev);
            await using var cmd = c.Command("""
                INSERT INTO audit (time, actor, action, job_id, round, detail, seq, prev_hash, hash)
                VALUES (@time, @actor, @action, CAST(@job AS TEXT), CAST(@round AS INTEGER), @detail, @seq, @prev, @hash)
                """, tx)
                .With("time", record.TimeUnixMs).With("actor", entry.Actor).With("action", entry.Action)
                .With("job", entry.JobId).With("round", entry.Round).With("detail", entry.Detail)
                .With("seq", record.Seq).With("prev", record.PrevHash).With("hash", record.Hash);
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }, ct);

    /// <summary>
    /// Chains the rows written before the table was chained (migration 004/003: seq is null), in id order after the
    /// last chained entry. The store calls it once when it opens.
    /// </summary>
    public Task<int> ChainUnchainedAsync(CancellationToken ct) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            var (seq, prev) = await LockLastAsync(c, tx, t).ConfigureAwait(false);
            List<(long Id, AuditEntry Entry)> rows;
            await using (var read = c.Command("SELECT id, time, actor, action, job_id, round, detail FROM audit WHERE seq IS NULL ORDER BY id", tx))
                rows = [.. await SqlRows.ReadAllAsync(read, r => (r.GetInt64(0), new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                    r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.GetString(6))), t).ConfigureAwait(false)];
            foreach (var (id, entry) in rows)
            {
                var record = AuditRecords.Chain(entry, ++seq, prev);
                await using var update = c.Command("UPDATE audit SET seq = @seq, prev_hash = @prev, hash = @hash WHERE id = @id", tx)
                    .With("seq", record.Seq).With("prev", record.PrevHash).With("hash", record.Hash).With("id", id);
                await update.ExecuteNonQueryAsync(t).ConfigureAwait(false);
                prev = record.Hash;
            }
            return rows.Count;
        }, ct);

    public Task<IReadOnlyList<AuditEntry>> ListAsync(string? jobId = null, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(async (c, t) =>
        {
            await using var cmd = c.Command(
                $"SELECT time, actor, action, job_id, round, detail FROM audit {(jobId is null ? "" : "WHERE job_id = @job")} ORDER BY id");
            if (jobId is not null) cmd.With("job", jobId);
            return await SqlRows.ReadAllAsync(cmd, r => new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), r.GetString(1),
                r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.GetString(5)), t).ConfigureAwait(false);
        }, ct);

    public Task<IReadOnlyList<AuditRecord>> ListChainAsync(AuditFilter filter, long afterSeq, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, AuditRecords.MaxPage);
        return db.ReadAsync<IReadOnlyList<AuditRecord>>(async (c, t) =>
        {
            var where = "seq > @after"
                + (filter.JobId is null ? "" : " AND job_id = @job")
                + (filter.Action is null ? "" : " AND action = @action")
                + (filter.Region is null ? "" : " AND (actor = @region OR actor = @node)");
            await using var cmd = c.Command($"SELECT {RecordColumns} FROM audit WHERE {where} ORDER BY seq LIMIT {limit}")
                .With("after", afterSeq);
            if (filter.JobId is not null) cmd.With("job", filter.JobId);
            if (filter.Action is not null) cmd.With("action", filter.Action);
            if (filter.Region is not null) cmd.With("region", filter.Region).With("node", AuditFilter.NodeActor(filter.Region));
            return await SqlRows.ReadAllAsync(cmd, Read, t).ConfigureAwait(false);
        }, ct);
    }

    private static AuditRecord Read(DbDataReader r)
    {
        var record = new AuditRecord
        {
            Seq = r.GetInt64(0),
            TimeUnixMs = r.GetInt64(1),
            Actor = r.GetString(2),
            Action = r.GetString(3),
            JobId = r.IsDBNull(4) ? "" : r.GetString(4),
            Detail = r.GetString(6),
            PrevHash = r.GetString(7),
            Hash = r.GetString(8),
        };
        if (!r.IsDBNull(5)) record.Round = r.GetInt32(5);
        return record;
    }

    // Takes the chain's lock (until the transaction ends) and returns its last seq and hash (0 and the genesis hash when empty).
    private async Task<(long Seq, string Hash)> LockLastAsync(DbConnection c, DbTransaction tx, CancellationToken t)
    {
        if (db.AuditLock is { } lockSql)
        {
            await using var lockCmd = c.Command(lockSql, tx);
            await lockCmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }
        await using var cmd = c.Command("SELECT seq, hash FROM audit WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", tx);
        var last = await SqlRows.ReadAllAsync(cmd, r => (r.GetInt64(0), r.GetString(1)), t).ConfigureAwait(false);
        return last.Count == 0 ? (0, AuditChain.GenesisHash) : last[0];
    }
}
