using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>
/// The SCAFFOLD control variates cᵢ of this node, one per job, in memory (Karimireddy et al. 2020: a client keeps
/// cᵢ across rounds, zeros before its first). Each job also remembers the cᵢ its last committed round started from,
/// so that a fit task repeated for that round (a retried round, an upload whose response was lost) starts from the
/// same cᵢ and reproduces a bit-identical update. Holds the most recently committed <c>capacity</c> jobs; a job
/// forgotten here starts again from zeros. With <paramref name="files"/> every commit is also written to disk and a
/// job not in memory (after an agent restart) is read back from there; without, a restart starts from zeros. Not
/// thread-safe: the agent handles tasks one at a time.
/// </summary>
public sealed class ControlVariateStore(int capacity = ControlVariateStore.DefaultCapacity, ControlVariateFiles? files = null)
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
        if (!_jobs.TryGetValue(jobId, out var entry))
        {
            if (files?.Load(jobId) is not { } stored) return model.ZerosLike();
            entry = Remember(jobId, new Entry(stored.Round, stored.Before, stored.After));
        }
        return entry.Round == round ? entry.Before : entry.After;
    }

    /// <summary>Records that round <paramref name="round"/> moved the job's cᵢ from <paramref name="before"/> to <paramref name="after"/>.</summary>
    /// <exception cref="IOException">The state directory cannot be written.</exception>
    public void Commit(string jobId, int round, ModelParameters before, ModelParameters after)
    {
        files?.Save(jobId, round, before, after);
        Remember(jobId, new Entry(round, before, after));
    }

    private Entry Remember(string jobId, Entry entry)
    {
        if (_jobs.ContainsKey(jobId)) _recent.Remove(jobId);
        _jobs[jobId] = entry;
        _recent.AddFirst(jobId);
        while (_jobs.Count > capacity)
        {
            var oldest = _recent.Last!.Value;
            _jobs.Remove(oldest);
            _recent.RemoveLast();
            files?.Delete(oldest);
        }
        return entry;
    }

    private sealed record Entry(int Round, ModelParameters Before, ModelParameters After);
}
