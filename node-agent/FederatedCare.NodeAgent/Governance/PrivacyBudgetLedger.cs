using System.Text.Json;
using System.Text.Json.Nodes;
using FederatedCare.Privacy;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// The region's ε ledger per dataset, <c>&lt;StateDirectory&gt;/privacy-ledger.json</c>, readable by the region:
/// per job the fit rounds this node was asked to train in, and the ε spent over them at the job's δ (the coordinator's
/// accountant at q = 1, <see cref="JobFacts.EpsilonAfter"/>); per dataset the total over its jobs. Jobs compose by
/// basic composition: k jobs that are (εᵢ, δᵢ)-DP are together (Σεᵢ, Σδᵢ)-DP (Dwork &amp; Roth 2014, Theorem 3.16), which
/// holds whatever the jobs are and is the safe bound. A round counts once however often it is retried. In memory only
/// without a state folder.
/// </summary>
/// <param name="path">The ledger file; null: memory only.</param>
public sealed class PrivacyBudgetLedger(string? path)
{
    /// <summary>The ledger's file name in the state folder.</summary>
    public const string FileName = "privacy-ledger.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly Lock _lock = new();
    private JsonObject? _ledger;

    /// <summary>
    /// Records that this node trains round <paramref name="round"/> of job <paramref name="jobId"/> on
    /// <paramref name="dataset"/> under <paramref name="privacy"/>, before the update leaves; returns the job's ε so far.
    /// </summary>
    /// <exception cref="IOException">The ledger could not be written: the caller must not release the update.</exception>
    public double RecordRound(string dataset, string jobId, int round, PrivacySettings privacy)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        lock (_lock)
        {
            var ledger = Load();
            var datasets = Child(ledger, "datasets");
            var entry = Child(datasets, dataset);
            var jobs = Child(entry, "jobs");
            var job = Child(jobs, jobId);
            var rounds = (job["rounds"] as JsonArray)?.Select(r => r!.GetValue<int>()).ToHashSet() ?? [];
            rounds.Add(round);
            double epsilon = JobFacts.EpsilonAfter(privacy, rounds.Count);
            job["rounds"] = new JsonArray([.. rounds.Order().Select(r => (JsonNode)r)]);
            job["noise_multiplier"] = privacy.NoiseMultiplier;
            job["delta"] = privacy.Delta;
            // +∞ (no noise) has no JSON number: null, and the total is then unbounded too.
            job["epsilon"] = double.IsFinite(epsilon) ? epsilon : null;
            double totalEpsilon = 0, totalDelta = 0;
            bool unbounded = false;
            foreach (var (_, other) in jobs)
            {
                if (other?["epsilon"] is { } e) totalEpsilon += e.GetValue<double>(); else unbounded = true;
                totalDelta += other?["delta"]?.GetValue<double>() ?? 0;
            }
            entry["epsilon"] = unbounded ? null : totalEpsilon;
            entry["delta"] = totalDelta;
            entry["composition"] = "basic: the sum of the jobs' ε and of their δ";
            if (path is not null) StateFiles.WriteAtomically(path, ledger.ToJsonString(Indented));
            return epsilon;
        }
    }

    /// <summary>The ledger as it stands (a copy), <c>{"datasets": {name: {"epsilon", "delta", "jobs": {id: {...}}}}}</c>.</summary>
    public JsonObject Snapshot()
    {
        lock (_lock) return (JsonObject)Load().DeepClone();
    }

    private JsonObject Load()
    {
        if (_ledger is not null) return _ledger;
        _ledger = path is not null && File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object.")
            : new JsonObject();
        return _ledger;
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child) return child;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}
