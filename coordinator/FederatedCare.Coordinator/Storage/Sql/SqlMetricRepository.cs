using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using static FederatedCare.Coordinator.Storage.Sql.SqlRows;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// <see cref="IMetricRepository"/> on the one <c>metrics</c> table: federated rows (kind 0, label empty) and cross-site
/// cells (kind 1, the model's label), told apart by <see cref="MetricKind"/>.
/// </summary>
internal sealed class SqlMetricRepository(SqlDatabase db) : IMetricRepository
{
    private const string Insert = """
        INSERT INTO metrics (job_id, kind, model_label, round, region, split, num_examples, loss, accuracy, extra)
        VALUES (@id, @kind, @label, @round, @region, @split, @n, @loss, @accuracy, @extra)
        ON CONFLICT (job_id, kind, model_label, round, region, split) DO UPDATE SET num_examples = excluded.num_examples,
            loss = excluded.loss, accuracy = excluded.accuracy, extra = excluded.extra
        """;

    public Task SaveAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default)
    {
        var rows = metrics.ToList();
        return db.WriteAsync(async (c, tx, t) =>
        {
            foreach (var m in rows) await InsertAsync(c.Command(Insert, tx), jobId, MetricKind.Federated, "", m, t).ConfigureAwait(false);
            return rows.Count;
        }, ct);
    }

    public Task<IReadOnlyList<RegionMetrics>> ListAsync(string jobId, int? round, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<RegionMetrics>>(async (c, t) =>
        {
            await using var cmd = c.Command($"""
                SELECT {MetricColumns} FROM metrics WHERE job_id = @id AND kind = @kind {(round is null or < 0 ? "" : "AND round = @round")}
                ORDER BY round, region, split
                """).With("id", jobId).With("kind", (int)MetricKind.Federated);
            if (round is >= 0) cmd.With("round", round.Value);
            return await ReadAllAsync(cmd, ReadMetrics, t).ConfigureAwait(false);
        }, ct);

    public Task SaveCrossSiteAsync(string jobId, IEnumerable<CrossSiteEntry> entries, CancellationToken ct = default)
    {
        var rows = entries.ToList();
        return db.WriteAsync(async (c, tx, t) =>
        {
            foreach (var e in rows)
            {
                // A cell is keyed without its round: a newer cell of the same label, region and split replaces it.
                await using (var delete = c.Command("""
                    DELETE FROM metrics WHERE job_id = @id AND kind = @kind AND model_label = @label AND region = @region AND split = @split
                    """, tx))
                {
                    delete.With("id", jobId).With("kind", (int)MetricKind.CrossSite).With("label", e.ModelLabel)
                        .With("region", e.Metrics.Region).With("split", e.Metrics.Split);
                    await delete.ExecuteNonQueryAsync(t).ConfigureAwait(false);
                }
                await InsertAsync(c.Command(Insert, tx), jobId, MetricKind.CrossSite, e.ModelLabel, e.Metrics, t).ConfigureAwait(false);
            }
            return rows.Count;
        }, ct);
    }

    public Task<IReadOnlyList<CrossSiteEntry>> ListCrossSiteAsync(string jobId, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<CrossSiteEntry>>(async (c, t) =>
        {
            await using var cmd = c.Command($"""
                SELECT {MetricColumns}, model_label FROM metrics WHERE job_id = @id AND kind = @kind ORDER BY model_label, region, split
                """).With("id", jobId).With("kind", (int)MetricKind.CrossSite);
            return await ReadAllAsync(cmd, r => new CrossSiteEntry { ModelLabel = r.GetString(7), Metrics = ReadMetrics(r) }, t).ConfigureAwait(false);
        }, ct);

    private static async Task InsertAsync(System.Data.Common.DbCommand cmd, string jobId, MetricKind kind, string label, RegionMetrics m,
        CancellationToken ct)
    {
        await using var _ = cmd;
        cmd.With("id", jobId).With("kind", (int)kind).With("label", label).With("round", m.Round).With("region", m.Region)
            .With("split", m.Split).With("n", m.NumExamples).With("loss", m.Loss).With("accuracy", m.Accuracy).With("extra", SerializeExtra(m));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
