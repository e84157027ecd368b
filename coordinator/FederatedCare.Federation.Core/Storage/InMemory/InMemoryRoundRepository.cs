using FederatedCare.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary><see cref="IRoundRepository"/> in memory; rounds listed with the federated metrics of <paramref name="metrics"/>.</summary>
internal sealed class InMemoryRoundRepository(InMemoryMetricRepository metrics) : IRoundRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Job, int Round), RoundSummary> _rounds = [];

    public Task SaveAsync(string jobId, RoundSummary round, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var stored = round.Clone();
        stored.Metrics.Clear();
        if (stored.CompletedAt is { } t)
            stored.CompletedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(t.ToDateTimeOffset().ToUnixTimeMilliseconds()));
        lock (_lock)
        {
            // As in the databases, where the privacy spend is a row of its own: a round saved again without one keeps it.
            if (stored.Privacy is null && _rounds.TryGetValue((jobId, round.Round), out var previous)) stored.Privacy = previous.Privacy;
            _rounds[(jobId, round.Round)] = stored;
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string jobId, int round, DateTimeOffset completedAt, double durationSeconds, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            if (_rounds.TryGetValue((jobId, round), out var stored))
            {
                stored.CompletedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(completedAt.ToUnixTimeMilliseconds()));
                stored.DurationSeconds = durationSeconds;
            }
        return Task.CompletedTask;
    }

    public Task<RoundSummary?> GetAsync(string jobId, int? round, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_lock)
            return Task.FromResult(Find(jobId, round)?.Clone());
    }

    public async Task<IReadOnlyList<RoundSummary>> ListAsync(string jobId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        List<RoundSummary> rounds;
        lock (_lock) rounds = _rounds.Where(kv => kv.Key.Job == jobId).OrderBy(kv => kv.Key.Round).Select(kv => kv.Value.Clone()).ToList();
        var byRound = (await metrics.ListAsync(jobId, null, ct).ConfigureAwait(false)).ToLookup(m => m.Round);
        foreach (var r in rounds) r.Metrics.AddRange(byRound[r.Round]);
        return rounds;
    }

    private RoundSummary? Find(string jobId, int? round) => round is >= 0 and { } r
        ? _rounds.GetValueOrDefault((jobId, r))
        : _rounds.Where(kv => kv.Key.Job == jobId).OrderByDescending(kv => kv.Key.Round).Select(kv => kv.Value).FirstOrDefault();

    /// <summary>Removes every round of the job (<see cref="InMemoryCoordinatorStore.DeleteJobAsync"/>).</summary>
    internal void RemoveJob(string jobId)
    {
        lock (_lock) foreach (var key in _rounds.Keys.Where(k => k.Job == jobId).ToList()) _rounds.Remove(key);
    }
}
