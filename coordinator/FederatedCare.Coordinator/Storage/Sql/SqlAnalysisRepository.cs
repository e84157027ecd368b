using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using static FederatedCare.Coordinator.Storage.Sql.SqlRows;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// <see cref="IAnalysisRepository"/> on the <c>analysis_results</c> table: one row per (job, step), the result as
/// protobuf bytes (as job specs are kept), so a new analysis kind needs no migration.
/// </summary>
internal sealed class SqlAnalysisRepository(SqlDatabase db) : IAnalysisRepository
{
    public Task SaveAsync(string jobId, AnalysisResult result, CancellationToken ct = default)
    {
        var bytes = result.ToByteArray();
        return db.WriteAsync(async (c, tx, t) =>
        {
            await using var cmd = c.Command("""
                INSERT INTO analysis_results (job_id, step, kind, result) VALUES (@id, @step, @kind, @result)
                ON CONFLICT (job_id, step) DO UPDATE SET kind = excluded.kind, result = excluded.result
                """, tx).With("id", jobId).With("step", result.Step).With("kind", result.Kind).With("result", bytes);
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }, ct);
    }

    public Task<IReadOnlyList<AnalysisResult>> ListAsync(string jobId, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<AnalysisResult>>(async (c, t) =>
        {
            await using var cmd = c.Command("SELECT result FROM analysis_results WHERE job_id = @id ORDER BY step").With("id", jobId);
            return await ReadAllAsync(cmd, r => AnalysisResult.Parser.ParseFrom((byte[])r.GetValue(0)), t).ConfigureAwait(false);
        }, ct);
}
