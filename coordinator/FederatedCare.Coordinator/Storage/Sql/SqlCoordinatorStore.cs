using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// <see cref="ICoordinatorStore"/> on a SQL database (<see cref="Sqlite.SqliteDatabase"/> or
/// <see cref="Postgres.PostgresDatabase"/>) with the model files in a folder on disk; the same
/// repositories and SQL for both engines. Open it with <see cref="OpenAsync"/>, which applies the migrations.
/// </summary>
internal sealed class SqlCoordinatorStore : ICoordinatorStore
{
    private readonly SqlDatabase _db;
    private readonly SqlModelStore _models;
    private readonly SqlAuditRepository _audit;

    private SqlCoordinatorStore(SqlDatabase db, string modelDirectory, TimeProvider time, int schemaVersion)
    {
        _db = db;
        SchemaVersion = schemaVersion;
        Jobs = new SqlJobRepository(db, time);
        Metrics = new SqlMetricRepository(db);
        Rounds = new SqlRoundRepository(db, Metrics);
        _audit = new SqlAuditRepository(db);
        Analyses = new SqlAnalysisRepository(db);
        _models = new SqlModelStore(db, modelDirectory);
    }

    /// <summary>Creates the model folder, migrates the database to the newest schema version and returns the store (owning <paramref name="db"/>).</summary>
    public static async Task<SqlCoordinatorStore> OpenAsync(SqlDatabase db, string modelDirectory, TimeProvider time, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(modelDirectory);
            int version = await SqlMigrator.ApplyAsync(db, time, ct).ConfigureAwait(false);
            var store = new SqlCoordinatorStore(db, Path.GetFullPath(modelDirectory), time, version);
            // Rows from before the audit chain (a database written by an older coordinator) join it now, in their order.
            await store._audit.ChainUnchainedAsync(ct).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The schema version <see cref="OpenAsync"/> left the database at.</summary>
    public int SchemaVersion { get; }

    public IJobRepository Jobs { get; }

    public IRoundRepository Rounds { get; }

    public IMetricRepository Metrics { get; }

    public IAuditRepository Audit => _audit;

    public IModelStore Models => _models;

    public IAnalysisRepository Analyses { get; }

    public async Task<JobDeletion> DeleteJobAsync(string jobId, CancellationToken ct = default)
    {
        // Every row in one transaction, checked against the job's state inside it; the audit table keeps its entries.
        var deletion = await _db.WriteAsync(async (c, tx, t) =>
        {
            await using var state = c.Command("SELECT state FROM jobs WHERE job_id = @id", tx).With("id", jobId);
            var value = await state.ExecuteScalarAsync(t).ConfigureAwait(false);
            if (value is null or DBNull) return JobDeletion.NotFound;
            if (!JobStates.IsTerminal((Protos.V1.JobState)Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)))
                return JobDeletion.NotFinished;
            foreach (var table in JobTables)
            {
                await using var delete = c.Command($"DELETE FROM {table} WHERE job_id = @id", tx).With("id", jobId);
                await delete.ExecuteNonQueryAsync(t).ConfigureAwait(false);
            }
            return JobDeletion.Deleted;
        }, ct).ConfigureAwait(false);
        // The files after the rows: a name never points at a file that is gone (a crash in between leaves orphan files).
        if (deletion == JobDeletion.Deleted) _models.DeleteJobFiles(jobId);
        return deletion;
    }

    // The tables holding a job's rows, the job's own last.
    private static readonly string[] JobTables = ["model_names", "analysis_results", "metrics", "round_privacy", "rounds", "jobs"];

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken ct = default)
    {
        try
        {
            int version = await _db.ReadAsync(async (c, t) =>
            {
                await using var cmd = c.Command("SELECT MAX(version) FROM schema_version");
                return Convert.ToInt32(await cmd.ExecuteScalarAsync(t).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }, ct).ConfigureAwait(false);
            // The model folder must exist and take a file: a full or read-only disk fails here, not mid-round.
            var probe = Path.Combine(_models.ModelDirectory, $".health-{Guid.NewGuid():N}");
            await File.WriteAllBytesAsync(probe, [1], ct).ConfigureAwait(false);
            File.Delete(probe);
            return new StoreHealth(true, $"{_db.Backend} schema version {version}; model folder {_models.ModelDirectory} writable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new StoreHealth(false, $"{_db.Backend} store unavailable: {e.Message}");
        }
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
