using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The SCAFFOLD control variates cᵢ of this node, one per job, in memory (Karimireddy et al. 2020: a client keeps
/// cᵢ across rounds, zeros before its first). Each job also remembers the cᵢ its last committed round started from,
/// so that a fit task repeated for that round (a retried round, an upload whose response was lost) starts from the
/// same cᵢ and reproduces a bit-identical update. Holds the most recently committed <c>capacity</c> jobs; a job
/// forgotten here, or on an agent restart, starts again from zeros. Not thread-safe: the agent handles tasks one at
/// a time.
/// </summary>
public sealed class ControlVariateStore(int capacity = ControlVariateStore.DefaultCapacity)
{
    /// <summary>Jobs held by default.</summary>
    public const int DefaultCapacity = 16;

    private readonly Dictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recent = new();

    /// <summary>Jobs held.</summary>
    public int Count => _jobs.Count;

    /// <summary>
    /// The cᵢ a fit task of <paramref name="round"/> starts from: zeros shaped like <paramref name="model"/> for a new
    /// job, the value before the last commit when that commit was for this same round, else the latest value.
    /// </summary>
    public ModelParameters Get(string jobId, int round, ModelParameters model)
    {
        if (!_jobs.TryGetValue(jobId, out var entry)) return model.ZerosLike();
        return entry.Round == round ? entry.Before : entry.After;
    }

    /// <summary>Records that round <paramref name="round"/> moved the job's cᵢ from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public void Commit(string jobId, int round, ModelParameters before, ModelParameters after)
    {
        if (_jobs.ContainsKey(jobId)) _recent.Remove(jobId);
        _jobs[jobId] = new Entry(round, before, after);
        _recent.AddFirst(jobId);
        while (_jobs.Count > capacity)
        {
            _jobs.Remove(_recent.Last!.Value);
            _recent.RemoveLast();
        }
    }

    private sealed record Entry(int Round, ModelParameters Before, ModelParameters After);
}
