using System.Data.Common;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using static FederatedCare.Coordinator.Storage.Sql.SqlRows;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary><see cref="IRoundRepository"/> on the <c>rounds</c> and <c>round_privacy</c> tables; lists attach <paramref name="metrics"/>.</summary>
internal sealed class SqlRoundRepository(SqlDatabase db, IMetricRepository metrics) : IRoundRepository
{
    private const string Select = """
        SELECT r.round, r.model_sha256, r.participants, r.num_examples, r.duration_seconds, r.completed_at,
               p.epsilon, p.delta, p.rdp_order, p.sampling_rate, p.noise_stddev
        FROM rounds r LEFT JOIN round_privacy p ON p.job_id = r.job_id AND p.round = r.round
        WHERE r.job_id = @id
        """;

    public Task SaveAsync(string jobId, RoundSummary round, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            await using (var cmd = c.Command("""
                INSERT INTO rounds (job_id, round, model_sha256, participants, num_examples, duration_seconds, completed_at)
                VALUES (@id, @round, @sha, @participants, @n, @duration, CAST(@completed AS BIGINT))
                ON CONFLICT (job_id, round) DO UPDATE SET model_sha256 = excluded.model_sha256,
                    participants = excluded.participants, num_examples = excluded.num_examples,
                    duration_seconds = excluded.duration_seconds, completed_at = excluded.completed_at
                """, tx))
            {
                cmd.With("id", jobId).With("round", round.Round).With("sha", round.ModelSha256).With("participants", SerializeParticipants(round))
                    .With("n", round.NumExamples).With("duration", round.DurationSeconds)
                    .With("completed", round.CompletedAt is null ? null : ToMs(round.CompletedAt));
                await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
            }
            if (round.Privacy is not { } p) return 0;
            await using var privacy = c.Command("""
                INSERT INTO round_privacy (job_id, round, epsilon, delta, rdp_order, sampling_rate, noise_stddev)
                VALUES (@id, @round, @epsilon, @delta, @order, @q, @stddev)
                ON CONFLICT (job_id, round) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta,
                    rdp_order = excluded.rdp_order, sampling_rate = excluded.sampling_rate, noise_stddev = excluded.noise_stddev
                """, tx)
                .With("id", jobId).With("round", round.Round).With("epsilon", p.Epsilon).With("delta", p.Delta)
                .With("order", p.RdpOrder).With("q", p.SamplingRate).With("stddev", p.NoiseStddev);
            return await privacy.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }, ct);

    public Task CompleteAsync(string jobId, int round, DateTimeOffset completedAt, double durationSeconds, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx, t) =>
        {
            await using var cmd = c.Command("UPDATE rounds SET completed_at = @at, duration_seconds = @d WHERE job_id = @id AND round = @round", tx)
                .With("at", completedAt.ToUnixTimeMilliseconds()).With("d", durationSeconds).With("id", jobId).With("round", round);
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }, ct);

    public Task<RoundSummary?> GetAsync(string jobId, int? round, CancellationToken ct = default) =>
        db.ReadAsync(async (c, t) =>
        {
            bool latest = round is null or < 0;
            await using var cmd = c.Command(Select + (latest ? " ORDER BY r.round DESC LIMIT 1" : " AND r.round = @round")).With("id", jobId);
            if (!latest) cmd.With("round", round!.Value);
            return (await ReadAllAsync(cmd, ReadRound, t).ConfigureAwait(false)).FirstOrDefault();
        }, ct);

    public async Task<IReadOnlyList<RoundSummary>> ListAsync(string jobId, CancellationToken ct = default)
    {
        var rounds = await db.ReadAsync(async (c, t) =>
        {
            await using var cmd = c.Command(Select + " ORDER BY r.round").With("id", jobId);
            return await ReadAllAsync(cmd, ReadRound, t).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        var byRound = (await metrics.ListAsync(jobId, null, ct).ConfigureAwait(false)).ToLookup(m => m.Round);
        foreach (var summary in rounds) summary.Metrics.AddRange(byRound[summary.Round]);
        return rounds;
    }

    private static RoundSummary ReadRound(DbDataReader r)
    {
        var summary = new RoundSummary
        {
            Round = r.GetInt32(0),
            ModelSha256 = r.GetString(1),
            NumExamples = r.GetInt64(3),
            DurationSeconds = r.GetDouble(4),
        };
        summary.Participants.AddRange(ReadParticipants(r.GetString(2)));
        if (!r.IsDBNull(5)) summary.CompletedAt = FromMs(r.GetInt64(5));
        if (!r.IsDBNull(6))
            summary.Privacy = new RoundPrivacy
            {
                Epsilon = r.GetDouble(6),
                Delta = r.GetDouble(7),
                RdpOrder = r.GetInt32(8),
                SamplingRate = r.GetDouble(9),
                NoiseStddev = r.GetDouble(10),
            };
        return summary;
    }
}
