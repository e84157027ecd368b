using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// The analysis data of each job, prepared from the task's schema the first time the job needs it (its statistics
/// phase) and kept for its later rounds (the last few jobs), so a Newton–Raphson iteration does not read the file again
/// and an agent restarted mid-job rebuilds it from any task.
/// </summary>
public sealed class AnalysisDatasets(DatasetCatalog catalog, IOptions<NodeAgentOptions> options)
{
    private const int Keep = 4;
    private readonly Lock _gate = new();
    private readonly List<(string JobId, AnalysisData Data)> _prepared = [];

    /// <summary>The analysis data of <paramref name="task"/>'s job.</summary>
    /// <exception cref="AnalysisRefusedException">The dataset is not a CSV/Parquet dataset of this region, or the task has no schema.</exception>
    /// <exception cref="DataFileException">The file does not fit the job's schema.</exception>
    public AnalysisData Get(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (_gate)
        {
            foreach (var (jobId, data) in _prepared) if (jobId == task.JobId) return data;
        }
        if (!catalog.Tabular.TryGetValue(task.Dataset, out var config))
            throw new AnalysisRefusedException($"dataset '{task.Dataset}' is not a CSV or Parquet dataset of this region (have: {string.Join(", ", catalog.Names)}).");
        if (task.Schema is null) throw new AnalysisRefusedException($"job {task.JobId} has no dataset schema; analyses need one.");
        var prepared = AnalysisDataPreparer.Prepare(task.Dataset, config, task.Schema);
        prepared.Profile.JobId = task.JobId;
        var directory = options.Value.ProfileDirectory;
        if (!string.IsNullOrWhiteSpace(directory)) prepared.Profile.Write(directory, task.Dataset);
        lock (_gate)
        {
            _prepared.Add((task.JobId, prepared));
            if (_prepared.Count > Keep) _prepared.RemoveAt(0);
        }
        return prepared;
    }
}
