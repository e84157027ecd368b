using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Google.Protobuf;
using static FederatedCare.Coordinator.Storage.Sql.SqlRows;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary><see cref="IJobRepository"/> on the <c>jobs</c> table.</summary>
internal sealed class SqlJobRepository(SqlDatabase db, TimeProvider time) : IJobRepository
{
    public Task<bool> TryCreateAsync(JobStatus job, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            await using var cmd = c.Command($"""
                INSERT INTO jobs ({JobColumns}) VALUES (@id, @spec, @state, @round, @message, @created, @updated, @submitter)
                ON CONFLICT (job_id) DO NOTHING
                """, tx)
                .With("id", job.JobId).With("spec", (job.Spec ?? new JobSpec()).ToByteArray()).With("state", (int)job.State)
                .With("round", job.CurrentRound).With("message", job.Message ?? "")
                .With("created", ToMs(job.CreatedAt)).With("updated", ToMs(job.UpdatedAt)).With("submitter", job.SubmittedBy ?? "");
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false) == 1;
        }, ct);

    public Task<JobStatus?> GetAsync(string jobId, CancellationToken ct = default) =>
        db.ReadAsync(async (c, t) =>
        {
            await using var cmd = c.Command($"SELECT {JobColumns} FROM jobs WHERE job_id = @id").With("id", jobId);
            return (await ReadAllAsync(cmd, ReadJob, t).ConfigureAwait(false)).FirstOrDefault();
        }, ct);

    public Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<JobStatus>>(async (c, t) =>
        {
            await using var cmd = c.Command($"SELECT {JobColumns} FROM jobs ORDER BY {db.JobOrder}");
            return await ReadAllAsync(cmd, ReadJob, t).ConfigureAwait(false);
        }, ct);

    public Task<JobStatus?> UpdateAsync(string jobId, JobState? state = null, int? currentRound = null, string? message = null,
        CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            // Terminal states are final: an abort racing with the runner's last write must win, whichever comes first.
            var terminal = string.Join(", ", JobStates.Terminal.Select((_, i) => $"@terminal{i}"));
            await using var cmd = c.Command($"""
                UPDATE jobs SET state = COALESCE(CAST(@state AS INTEGER), state),
                    current_round = COALESCE(CAST(@round AS INTEGER), current_round),
                    message = COALESCE(CAST(@message AS TEXT), message), updated_at = @now
                WHERE job_id = @id AND state NOT IN ({terminal})
                RETURNING {JobColumns}
                """, tx)
                .With("id", jobId).With("state", state is null ? null : (int)state.Value).With("round", currentRound)
                .With("message", message).With("now", time.GetUtcNow().ToUnixTimeMilliseconds());
            for (int i = 0; i < JobStates.Terminal.Count; i++) cmd.With($"terminal{i}", (int)JobStates.Terminal[i]);
            return (await ReadAllAsync(cmd, ReadJob, t).ConfigureAwait(false)).FirstOrDefault();
        }, ct);
}
