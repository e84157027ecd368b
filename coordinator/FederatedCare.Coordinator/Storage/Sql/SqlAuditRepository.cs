using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary><see cref="IAuditRepository"/> on the <c>audit</c> table (ordered by its generated id).</summary>
internal sealed class SqlAuditRepository(SqlDatabase db) : IAuditRepository
{
    public Task AppendAsync(AuditEntry entry, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            await using var cmd = c.Command("""
                INSERT INTO audit (time, actor, action, job_id, round, detail)
                VALUES (@time, @actor, @action, CAST(@job AS TEXT), CAST(@round AS INTEGER), @detail)
                """, tx)
                .With("time", entry.Time.ToUnixTimeMilliseconds()).With("actor", entry.Actor).With("action", entry.Action)
                .With("job", entry.JobId).With("round", entry.Round).With("detail", entry.Detail);
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
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
}
