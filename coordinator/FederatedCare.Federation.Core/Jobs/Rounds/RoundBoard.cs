using System.Collections.Concurrent;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>The open round of each running job, shared by the runner (opens, closes) and the Federation service (submits).</summary>
public sealed class RoundBoard
{
    private readonly ConcurrentDictionary<string, OpenRound> _open = new(StringComparer.Ordinal);

    public void Open(OpenRound round) => _open[round.JobId] = round;

    public OpenRound? Find(string jobId) => _open.TryGetValue(jobId, out var r) ? r : null;

    /// <summary>Every open round, one per running job (e.g. to tell them a node is gone for good).</summary>
    public IReadOnlyList<OpenRound> All => [.. _open.Values];

    public void Remove(OpenRound round) => _open.TryRemove(new KeyValuePair<string, OpenRound>(round.JobId, round));
}
