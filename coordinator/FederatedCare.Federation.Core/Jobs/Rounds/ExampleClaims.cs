using System.Collections.Concurrent;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// What a region's updates may claim as num_examples in one job, the weight FedAvg gives them: no more than the
/// training rows the region reported in the job's statistics phase, and in every fit round the same number as in its
/// first accepted fit update. A region's rows and the job's local training (local_steps or local_epochs, batch_size)
/// do not change during a job, so an honest node reports the same count each round; a count that moves is a node
/// steering its weight. Thread-safe: the job's loop records accepted rounds while the gRPC services check headers.
/// </summary>
public sealed class ExampleClaims
{
    private readonly ConcurrentDictionary<string, (long NumExamples, int Round)> _fixed = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, long> _trainRows = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The training rows each region reported in the statistics phase (empty: the job had none).</summary>
    public IReadOnlyDictionary<string, long> TrainRows
    {
        get => Volatile.Read(ref _trainRows);
        set => Volatile.Write(ref _trainRows, value);
    }

    /// <summary>Fixes each region's num_examples at its first accepted fit update (later rounds' must equal it, <see cref="Problem"/>).</summary>
    /// <param name="round">The fit round (≥ 1) whose accepted updates these are.</param>
    /// <param name="accepted">The round's accepted updates.</param>
    public void Record(int round, IEnumerable<ClientUpdate> accepted)
    {
        foreach (var update in accepted) _fixed.TryAdd(update.Region, (update.NumExamples, round));
    }

    /// <summary>Restores the fixed counts after a restart from the stored <c>fit</c> metrics rows (one per accepted update).</summary>
    public void Restore(IEnumerable<RegionMetrics> stored)
    {
        foreach (var row in stored.Where(m => m.Split == FitMetrics.Split && m.Round > 0).OrderBy(m => m.Round))
            _fixed.TryAdd(row.Region, (row.NumExamples, row.Round));
    }

    /// <summary>
    /// Why <paramref name="numExamples"/> is not a claim <paramref name="region"/> may make in a round of
    /// <paramref name="phase"/> (Initialize or Fit) of job <paramref name="jobId"/>; null when it may.
    /// </summary>
    public string? Problem(string jobId, string region, RoundPhase phase, long numExamples)
    {
        if (TrainRows.TryGetValue(region, out var rows) && numExamples > rows)
            return $"num_examples {numExamples} exceeds the {rows} training rows {region} reported for job '{jobId}' in its statistics phase.";
        if (phase == RoundPhase.Fit && _fixed.TryGetValue(region, out var first) && numExamples != first.NumExamples)
            return $"num_examples {numExamples} differs from the {first.NumExamples} {region} claimed in round {first.Round} of job '{jobId}': " +
                "a region's training rows and the job's local training are the same in every round.";
        return null;
    }
}
