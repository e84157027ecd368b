using System.Globalization;
using System.Text.Json;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;

using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Storage;

/// <summary>
/// <see cref="ICoordinatorStore"/> on a SQLite file (<c>&lt;data&gt;/coordinator.db</c>, WAL mode) plus safetensors
/// checkpoints and other tensor sets under <c>&lt;data&gt;/models/&lt;job&gt;</c>. Each call opens a pooled connection, so the store is thread-safe.
/// Writes take one in-process lock: two connections writing at once would make SQLite answer SQLITE_BUSY, which
/// Microsoft.Data.Sqlite retries after sleeping 150 ms — measured as 150–300 ms stalls when four regions reported
/// metrics together. Readers never wait (WAL); the busy timeout remains for another process holding the file.
/// </summary>
public sealed class SqliteCoordinatorStore : ICoordinatorStore
{
    private readonly string _connectionString;
    private readonly string _modelDirectory;
    private readonly TimeProvider _time;
    private readonly Lock _writeLock = new();

    /// <summary>Opens (creating if needed) the database and model folder under <paramref name="dataDirectory"/>.</summary>
    public SqliteCoordinatorStore(string dataDirectory, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var root = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(root);
        _modelDirectory = Path.Combine(root, "models");
        Directory.CreateDirectory(_modelDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(root, "coordinator.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, SqliteSchema.Create);
    }

    /// <summary>The folder holding one subfolder of checkpoints per job.</summary>
    public string ModelDirectory => _modelDirectory;

    /// <summary>The checkpoint path of a job's global model after a round.</summary>
    public string ModelPath(string jobId, int round) =>
        Path.Combine(_modelDirectory, jobId, $"round-{round.ToString(CultureInfo.InvariantCulture)}.safetensors");

    public Task<bool> TryCreateJobAsync(JobStatus job, CancellationToken ct = default)
    {
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT OR IGNORE INTO jobs (job_id, spec, state, current_round, message, created_at, updated_at)
            VALUES ($id, $spec, $state, $round, $message, $created, $updated)
            """;
        cmd.Parameters.AddWithValue("$id", job.JobId);
        cmd.Parameters.AddWithValue("$spec", (job.Spec ?? new JobSpec()).ToByteArray());
        cmd.Parameters.AddWithValue("$state", (int)job.State);
        cmd.Parameters.AddWithValue("$round", job.CurrentRound);
        cmd.Parameters.AddWithValue("$message", job.Message ?? "");
        cmd.Parameters.AddWithValue("$created", ToMs(job.CreatedAt));
        cmd.Parameters.AddWithValue("$updated", ToMs(job.UpdatedAt));
        return Task.FromResult(cmd.ExecuteNonQuery() == 1);
    }

    public Task<JobStatus?> GetJobAsync(string jobId, CancellationToken ct = default)
    {
        using var c = Open();
        return Task.FromResult(GetJob(c, jobId));
    }

    public Task<IReadOnlyList<JobStatus>> ListJobsAsync(CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"{JobColumns} ORDER BY created_at, rowid";
        using var r = cmd.ExecuteReader();
        var jobs = new List<JobStatus>();
        while (r.Read()) jobs.Add(ReadJob(r));
        return Task.FromResult<IReadOnlyList<JobStatus>>(jobs);
    }

    public Task<JobStatus?> UpdateJobAsync(string jobId, JobState? state = null, int? currentRound = null, string? message = null,
        CancellationToken ct = default)
    {
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var cmd = c.CreateCommand();
        // Terminal states are final: an abort racing with the runner's last write must win, whichever comes first.
        cmd.CommandText = """
            UPDATE jobs SET state = COALESCE($state, state), current_round = COALESCE($round, current_round),
                message = COALESCE($message, message), updated_at = $now
            WHERE job_id = $id AND state NOT IN (3, 4, 5)
            """;
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$state", state is null ? DBNull.Value : (int)state.Value);
        cmd.Parameters.AddWithValue("$round", currentRound is null ? DBNull.Value : currentRound.Value);
        cmd.Parameters.AddWithValue("$message", message is null ? DBNull.Value : message);
        cmd.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        return Task.FromResult(cmd.ExecuteNonQuery() == 1 ? GetJob(c, jobId) : null);
    }

    public Task SaveRoundAsync(string jobId, RoundSummary round, ModelParameters globalModel, CancellationToken ct = default)
    {
        // The checkpoint first: a round row never points at a model that is not on disk.
        SafeTensors.WriteFile(globalModel, ModelPath(jobId, round.Round), new Dictionary<string, string>
        {
            ["job_id"] = jobId,
            ["round"] = round.Round.ToString(CultureInfo.InvariantCulture),
            ["sha256"] = round.ModelSha256,
        });
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        // One transaction: a stored round always has its privacy row, so a resumed job's accountant counts it.
        using var transaction = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT OR REPLACE INTO rounds (job_id, round, model_sha256, participants, num_examples, duration_seconds, completed_at)
            VALUES ($id, $round, $sha, $participants, $n, $duration, $completed)
            """;
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$round", round.Round);
        cmd.Parameters.AddWithValue("$sha", round.ModelSha256);
        cmd.Parameters.AddWithValue("$participants", JsonSerializer.Serialize(round.Participants.ToArray()));
        cmd.Parameters.AddWithValue("$n", round.NumExamples);
        cmd.Parameters.AddWithValue("$duration", round.DurationSeconds);
        cmd.Parameters.AddWithValue("$completed", round.CompletedAt is null ? DBNull.Value : ToMs(round.CompletedAt));
        cmd.ExecuteNonQuery();
        if (round.Privacy is { } p)
        {
            using var privacy = c.CreateCommand();
            privacy.CommandText = """
                INSERT OR REPLACE INTO round_privacy (job_id, round, epsilon, delta, rdp_order, sampling_rate, noise_stddev)
                VALUES ($id, $round, $epsilon, $delta, $order, $q, $stddev)
                """;
            privacy.Parameters.AddWithValue("$id", jobId);
            privacy.Parameters.AddWithValue("$round", round.Round);
            privacy.Parameters.AddWithValue("$epsilon", p.Epsilon);
            privacy.Parameters.AddWithValue("$delta", p.Delta);
            privacy.Parameters.AddWithValue("$order", p.RdpOrder);
            privacy.Parameters.AddWithValue("$q", p.SamplingRate);
            privacy.Parameters.AddWithValue("$stddev", p.NoiseStddev);
            privacy.ExecuteNonQuery();
        }
        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task CompleteRoundAsync(string jobId, int round, DateTimeOffset completedAt, double durationSeconds, CancellationToken ct = default)
    {
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE rounds SET completed_at = $t, duration_seconds = $d WHERE job_id = $id AND round = $round";
        cmd.Parameters.AddWithValue("$d", durationSeconds);
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$round", round);
        cmd.Parameters.AddWithValue("$t", completedAt.ToUnixTimeMilliseconds());
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<RoundSummary>> ListRoundsAsync(string jobId, CancellationToken ct = default)
    {
        var rounds = new List<RoundSummary>();
        using (var c = Open())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = """
                SELECT r.round, r.model_sha256, r.participants, r.num_examples, r.duration_seconds, r.completed_at,
                       p.epsilon, p.delta, p.rdp_order, p.sampling_rate, p.noise_stddev
                FROM rounds r LEFT JOIN round_privacy p ON p.job_id = r.job_id AND p.round = r.round
                WHERE r.job_id = $id ORDER BY r.round
                """;
            cmd.Parameters.AddWithValue("$id", jobId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var summary = new RoundSummary
                {
                    Round = r.GetInt32(0),
                    ModelSha256 = r.GetString(1),
                    NumExamples = r.GetInt64(3),
                    DurationSeconds = r.GetDouble(4),
                };
                summary.Participants.AddRange(JsonSerializer.Deserialize<string[]>(r.GetString(2)) ?? []);
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
                rounds.Add(summary);
            }
        }
        var metrics = await GetMetricsAsync(jobId, -1, ct).ConfigureAwait(false);
        var byRound = metrics.ToLookup(m => m.Round);
        foreach (var summary in rounds) summary.Metrics.AddRange(byRound[summary.Round]);
        return rounds;
    }

    public Task<(int Round, ModelParameters Model)?> LoadGlobalModelAsync(string jobId, int round, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = round < 0
            ? "SELECT round FROM rounds WHERE job_id = $id ORDER BY round DESC LIMIT 1"
            : "SELECT round FROM rounds WHERE job_id = $id AND round = $round";
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$round", round);
        if (cmd.ExecuteScalar() is not long found) return Task.FromResult<(int, ModelParameters)?>(null);
        var path = ModelPath(jobId, (int)found);
        if (!File.Exists(path)) return Task.FromResult<(int, ModelParameters)?>(null);
        return Task.FromResult<(int, ModelParameters)?>(((int)found, SafeTensors.ReadFile(path)));
    }

    public Task<ModelParameters?> FindModelAsync(string jobId, string sha256, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT 'round-' || round FROM rounds WHERE job_id = $id AND model_sha256 = $sha
            UNION ALL SELECT name FROM tensor_sets WHERE job_id = $id AND sha256 = $sha
            """;
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$sha", sha256.ToLowerInvariant());
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var path = TensorPath(jobId, r.GetString(0));
            if (File.Exists(path)) return Task.FromResult<ModelParameters?>(SafeTensors.ReadFile(path));
        }
        return Task.FromResult<ModelParameters?>(null);
    }

    public Task SaveTensorSetAsync(string jobId, string name, ModelParameters tensors, CancellationToken ct = default)
    {
        if (name.Length == 0 || name.StartsWith("round-", StringComparison.Ordinal))
            throw new ArgumentException($"Tensor set name '{name}' is empty or taken by the global models (round-*).", nameof(name));
        var sha = tensors.ComputeSha256();
        SafeTensors.WriteFile(tensors, TensorPath(jobId, name), new Dictionary<string, string>
        {
            ["job_id"] = jobId,
            ["name"] = name,
            ["sha256"] = sha,
        });
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO tensor_sets (job_id, name, sha256) VALUES ($id, $name, $sha)";
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$name", name);
        cmd.Parameters.AddWithValue("$sha", sha);
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string Name, string Sha256)>> ListTensorSetsAsync(string jobId, string prefix, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name, sha256 FROM tensor_sets WHERE job_id = $id AND substr(name, 1, length($prefix)) = $prefix ORDER BY name";
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$prefix", prefix);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return Task.FromResult<IReadOnlyList<(string, string)>>(list);
    }

    public Task SaveCrossSiteAsync(string jobId, IEnumerable<CrossSiteEntry> entries, CancellationToken ct = default)
    {
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT OR REPLACE INTO cross_site (job_id, model_label, region, split, round, num_examples, loss, accuracy, extra)
            VALUES ($id, $label, $region, $split, $round, $n, $loss, $accuracy, $extra)
            """;
        foreach (var e in entries)
        {
            var m = e.Metrics;
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$label", e.ModelLabel);
            cmd.Parameters.AddWithValue("$region", m.Region);
            cmd.Parameters.AddWithValue("$split", m.Split);
            cmd.Parameters.AddWithValue("$round", m.Round);
            cmd.Parameters.AddWithValue("$n", m.NumExamples);
            cmd.Parameters.AddWithValue("$loss", m.Loss);
            cmd.Parameters.AddWithValue("$accuracy", m.Accuracy);
            cmd.Parameters.AddWithValue("$extra", SerializeExtra(m));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CrossSiteEntry>> GetCrossSiteAsync(string jobId, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT round, region, split, num_examples, loss, accuracy, extra, model_label FROM cross_site
            WHERE job_id = $id ORDER BY model_label, region, split
            """;
        cmd.Parameters.AddWithValue("$id", jobId);
        using var r = cmd.ExecuteReader();
        var list = new List<CrossSiteEntry>();
        while (r.Read()) list.Add(new CrossSiteEntry { ModelLabel = r.GetString(7), Metrics = ReadMetrics(r) });
        return Task.FromResult<IReadOnlyList<CrossSiteEntry>>(list);
    }

    public Task SaveMetricsAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default)
    {
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT OR REPLACE INTO metrics (job_id, round, region, split, num_examples, loss, accuracy, extra)
            VALUES ($id, $round, $region, $split, $n, $loss, $accuracy, $extra)
            """;
        foreach (var m in metrics)
        {
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("$id", jobId);
            cmd.Parameters.AddWithValue("$round", m.Round);
            cmd.Parameters.AddWithValue("$region", m.Region);
            cmd.Parameters.AddWithValue("$split", m.Split);
            cmd.Parameters.AddWithValue("$n", m.NumExamples);
            cmd.Parameters.AddWithValue("$loss", m.Loss);
            cmd.Parameters.AddWithValue("$accuracy", m.Accuracy);
            cmd.Parameters.AddWithValue("$extra", SerializeExtra(m));
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RegionMetrics>> GetMetricsAsync(string jobId, int round, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT round, region, split, num_examples, loss, accuracy, extra FROM metrics
            WHERE job_id = $id AND ($round < 0 OR round = $round) ORDER BY round, region, split
            """;
        cmd.Parameters.AddWithValue("$id", jobId);
        cmd.Parameters.AddWithValue("$round", round);
        using var r = cmd.ExecuteReader();
        var list = new List<RegionMetrics>();
        while (r.Read()) list.Add(ReadMetrics(r));
        return Task.FromResult<IReadOnlyList<RegionMetrics>>(list);
    }

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        using var _ = _writeLock.EnterScope();
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO audit (time, actor, action, job_id, round, detail) VALUES ($time, $actor, $action, $job, $round, $detail)
            """;
        cmd.Parameters.AddWithValue("$time", entry.Time.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$actor", entry.Actor);
        cmd.Parameters.AddWithValue("$action", entry.Action);
        cmd.Parameters.AddWithValue("$job", (object?)entry.JobId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$round", entry.Round is null ? DBNull.Value : entry.Round.Value);
        cmd.Parameters.AddWithValue("$detail", entry.Detail);
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? jobId = null, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT time, actor, action, job_id, round, detail FROM audit WHERE $job IS NULL OR job_id = $job ORDER BY id";
        cmd.Parameters.AddWithValue("$job", (object?)jobId ?? DBNull.Value);
        using var r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read())
            list.Add(new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetInt32(4), r.GetString(5)));
        return Task.FromResult<IReadOnlyList<AuditEntry>>(list);
    }

    private const string JobColumns = "SELECT job_id, spec, state, current_round, message, created_at, updated_at FROM jobs";

    private static JobStatus? GetJob(SqliteConnection c, string jobId)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"{JobColumns} WHERE job_id = $id";
        cmd.Parameters.AddWithValue("$id", jobId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadJob(r) : null;
    }

    private static JobStatus ReadJob(SqliteDataReader r) => new()
    {
        JobId = r.GetString(0),
        Spec = JobSpec.Parser.ParseFrom((byte[])r.GetValue(1)),
        State = (JobState)r.GetInt32(2),
        CurrentRound = r.GetInt32(3),
        Message = r.GetString(4),
        CreatedAt = FromMs(r.GetInt64(5)),
        UpdatedAt = FromMs(r.GetInt64(6)),
    };

    private static string SerializeExtra(RegionMetrics m) =>
        JsonSerializer.Serialize(m.Extra.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value));

    private static Dictionary<string, double> ReadExtra(string json) => JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];

    /// <summary>The file of a job's global model (<c>round-&lt;r&gt;</c>) or tensor set.</summary>
    private string TensorPath(string jobId, string name) => Path.Combine(_modelDirectory, jobId, Uri.EscapeDataString(name) + ".safetensors");

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long ToMs(Timestamp? t) => t is null ? 0 : t.ToDateTimeOffset().ToUnixTimeMilliseconds();

    private static Timestamp FromMs(long ms) => Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    // Columns 0-6 as selected everywhere: round, region, split, num_examples, loss, accuracy, extra (JSON).
    private static RegionMetrics ReadMetrics(SqliteDataReader r)
    {
        var m = new RegionMetrics
        {
            Round = r.GetInt32(0),
            Region = r.GetString(1),
            Split = r.GetString(2),
            NumExamples = r.GetInt64(3),
            Loss = r.GetDouble(4),
            Accuracy = r.GetDouble(5),
        };
        m.Extra.Add(ReadExtra(r.GetString(6)));
        return m;
    }
}
