using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// The dataset each task works on. Fixed-format datasets come from the <see cref="DatasetCatalog"/>; a CSV or
/// Parquet dataset is prepared with the task's schema (and pooled statistics) the first time a job needs it and kept
/// for the job's later tasks (the last few jobs), so an agent restarted mid-job rebuilds it from any task.
/// </summary>
public sealed class JobDatasets(DatasetCatalog catalog, IOptions<NodeAgentOptions> options)
{
    private const int Keep = 4;
    private readonly Lock _gate = new();
    private readonly List<(string Key, PreparedDataset Prepared)> _prepared = [];

    /// <summary>The dataset of <paramref name="task"/>, ready for training and evaluation.</summary>
    /// <exception cref="ArgumentException">The dataset is not configured here, or a CSV/Parquet dataset gets a task without a schema.</exception>
    /// <exception cref="DataFileException">The file does not fit the job's schema.</exception>
    public LocalDataset Get(NodeTask task)
    {
        if (catalog.TryGet(task.Dataset, out var fixedData)) return fixedData;
        var prepared = Prepare(task);
        return prepared.Data ?? throw new ArgumentException(
            $"job {task.JobId} normalises with federated statistics, but the task carries none.");
    }

    /// <summary>Prepares (or returns the prepared) CSV/Parquet dataset of <paramref name="task"/>'s job.</summary>
    /// <exception cref="ArgumentException">Not a CSV/Parquet dataset of this region, or no schema in the task.</exception>
    /// <exception cref="DataFileException">The file does not fit the job's schema.</exception>
    public PreparedDataset Prepare(NodeTask task)
    {
        if (!catalog.Tabular.TryGetValue(task.Dataset, out var config))
            throw new ArgumentException($"dataset '{task.Dataset}' is not configured in this region (have: {string.Join(", ", catalog.Names)}).");
        if (task.Schema is null)
            throw new ArgumentException($"dataset '{task.Dataset}' is a {config.Format} file and needs the job spec's schema, which job {task.JobId} lacks.");
        var key = $"{task.JobId}/{task.GlobalStatistics?.GetHashCode() ?? 0}";
        lock (_gate)
        {
            foreach (var (k, p) in _prepared) if (k == key) return p;
        }
        var prepared = TabularPreparer.Prepare(task.Dataset, config, task.Schema, task.GlobalStatistics);
        prepared.Profile.JobId = task.JobId;
        var directory = options.Value.ProfileDirectory;
        if (!string.IsNullOrWhiteSpace(directory)) prepared.Profile.Write(directory, task.Dataset);
        lock (_gate)
        {
            _prepared.Add((key, prepared));
            if (_prepared.Count > Keep) _prepared.RemoveAt(0);
        }
        return prepared;
    }

    /// <summary>Whether <paramref name="dataset"/> is a CSV/Parquet dataset of this region.</summary>
    public bool IsTabular(string dataset) => catalog.Tabular.ContainsKey(dataset);

    /// <summary>The fewest training rows with which this region joins a job on <paramref name="dataset"/>.</summary>
    public int MinRows(string dataset) =>
        options.Value.Datasets.TryGetValue(dataset, out var c) ? c.MinRows : 1;

    /// <summary>Writes the profile of a refused job (when a profile folder is configured).</summary>
    public void WriteRefusal(NodeTask task, string reason)
    {
        var directory = options.Value.ProfileDirectory;
        if (string.IsNullOrWhiteSpace(directory)) return;
        new DataProfile { JobId = task.JobId, File = catalog.Tabular.TryGetValue(task.Dataset, out var c) ? c.Path : "", Refusal = reason }
            .Write(directory, task.Dataset);
    }
}
