using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Simulation;

/// <summary>
/// The coordinator store of one simulation process, in memory and under one lock. It keeps the latest global model
/// only (a simulation never reads an older one), so memory grows with the model and the tensor sets (one local model
/// per region under cross-site validation), not with the rounds. Values are cloned in and out, as a database would.
/// </summary>
internal sealed class InMemoryCoordinatorStore : ICoordinatorStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobStatus> _jobs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string JobId, int Round), RoundSummary> _rounds = [];
    private readonly Dictionary<string, (int Round, ModelParameters Model)> _latest = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string JobId, string Name), ModelParameters> _sets = [];
    private readonly SortedDictionary<(string JobId, int Round, string Region, string Split), RegionMetrics> _metrics = [];
    private readonly SortedDictionary<(string JobId, string Label, string Region, string Split), CrossSiteEntry> _crossSite = [];
    private readonly List<AuditEntry> _audit = [];

    public Task<bool> TryCreateJobAsync(JobStatus job, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_jobs.TryAdd(job.JobId, job.Clone()));
    }

    public Task<JobStatus?> GetJobAsync(string jobId, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_jobs.TryGetValue(jobId, out var job) ? job.Clone() : null);
    }

    public Task<IReadOnlyList<JobStatus>> ListJobsAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<JobStatus>>(_jobs.Values.Select(j => j.Clone()).ToList());
    }

    public Task<JobStatus?> UpdateJobAsync(string jobId, JobState? state = null, int? currentRound = null, string? message = null,
        CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var job) || job.State is JobState.Succeeded or JobState.Failed or JobState.Aborted)
                return Task.FromResult<JobStatus?>(null);
            if (state is { } s) job.State = s;
            if (currentRound is { } r) job.CurrentRound = r;
            if (message is not null) job.Message = message;
            return Task.FromResult<JobStatus?>(job.Clone());
        }
    }

    public Task SaveRoundAsync(string jobId, RoundSummary round, ModelParameters globalModel, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var row = round.Clone();
            row.Metrics.Clear();
            _rounds[(jobId, round.Round)] = row;
            if (!_latest.TryGetValue(jobId, out var latest) || latest.Round <= round.Round) _latest[jobId] = (round.Round, globalModel.Clone());
        }
        return Task.CompletedTask;
    }

    public Task CompleteRoundAsync(string jobId, int round, DateTimeOffset completedAt, double durationSeconds, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_rounds.TryGetValue((jobId, round), out var row))
                (row.CompletedAt, row.DurationSeconds) = (Timestamp.FromDateTimeOffset(completedAt), durationSeconds);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RoundSummary>> ListRoundsAsync(string jobId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RoundSummary>>(_rounds.Where(r => r.Key.JobId == jobId).Select(r =>
            {
                var summary = r.Value.Clone();
                summary.Metrics.AddRange(MetricsOf(jobId, r.Key.Round));
                return summary;
            }).ToList());
        }
    }

    public Task<(int Round, ModelParameters Model)?> LoadGlobalModelAsync(string jobId, int round, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult<(int, ModelParameters)?>(_latest.TryGetValue(jobId, out var latest) && (round < 0 || round == latest.Round)
                ? (latest.Round, latest.Model.Clone()) : null);
        }
    }

    public Task<ModelParameters?> FindModelAsync(string jobId, string sha256, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_latest.TryGetValue(jobId, out var latest) && string.Equals(_rounds[(jobId, latest.Round)].ModelSha256, sha256, StringComparison.OrdinalIgnoreCase))
                return Task.FromResult<ModelParameters?>(latest.Model.Clone());
            var set = _sets.Where(s => s.Key.JobId == jobId).Select(s => s.Value)
                .FirstOrDefault(m => string.Equals(m.ComputeSha256(), sha256, StringComparison.OrdinalIgnoreCase));
            return Task.FromResult(set?.Clone());
        }
    }

    public Task SaveTensorSetAsync(string jobId, string name, ModelParameters tensors, CancellationToken ct = default)
    {
        if (name.Length == 0 || name.StartsWith("round-", StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is not a tensor set name.", nameof(name));
        lock (_gate) _sets[(jobId, name)] = tensors.Clone();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string Name, string Sha256)>> ListTensorSetsAsync(string jobId, string prefix, CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<(string, string)>>(_sets
                .Where(s => s.Key.JobId == jobId && s.Key.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(s => s.Key.Name, StringComparer.Ordinal)
                .Select(s => (s.Key.Name, s.Value.ComputeSha256())).ToList());
        }
    }

    public Task SaveCrossSiteAsync(string jobId, IEnumerable<CrossSiteEntry> entries, CancellationToken ct = default)
    {
        lock (_gate)
            foreach (var e in entries) _crossSite[(jobId, e.ModelLabel, e.Metrics.Region, e.Metrics.Split)] = e.Clone();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CrossSiteEntry>> GetCrossSiteAsync(string jobId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<CrossSiteEntry>>(_crossSite.Where(c => c.Key.JobId == jobId).Select(c => c.Value.Clone()).ToList());
    }

    public Task SaveMetricsAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default)
    {
        lock (_gate)
            foreach (var m in metrics) _metrics[(jobId, m.Round, m.Region, m.Split)] = m.Clone();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RegionMetrics>> GetMetricsAsync(string jobId, int round, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<RegionMetrics>>(MetricsOf(jobId, round));
    }

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        lock (_gate) _audit.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? jobId = null, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<AuditEntry>>(_audit.Where(a => jobId is null || a.JobId == jobId).ToList());
    }

    private List<RegionMetrics> MetricsOf(string jobId, int round) => _metrics
        .Where(m => m.Key.JobId == jobId && (round < 0 || m.Key.Round == round))
        .Select(m => m.Value.Clone()).ToList();
}
