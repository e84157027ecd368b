using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// The agent's <see cref="INodeAnalyst"/>: prepares the job's analysis data (<see cref="AnalysisDatasets"/>) and hands
/// each task to the <see cref="IAnalysisHandler"/> of its kind with the region's release rules
/// (<see cref="AnalysisOptions"/>; the job may raise the minimum cell count, never lower it). A file that does not fit,
/// or a handler that refuses, becomes a refusal: the coordinator gets the file's name, line and column but no folder
/// and no cell value; the region's log and profile keep the full message.
/// </summary>
public sealed class RegionAnalyst(AnalysisDatasets datasets, IEnumerable<IAnalysisHandler> handlers, JobDatasets jobs,
    IOptions<NodeAgentOptions> options, ILogger<RegionAnalyst> logger) : INodeAnalyst
{
    private readonly Dictionary<AnalysisTask.KindOneofCase, IAnalysisHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    /// <inheritdoc />
    public StatisticsAnswer Statistics(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            var data = datasets.Get(task);
            AgentLog.StatisticsReported(logger, task.JobId, data.Train.Count, 0);
            return new StatisticsAnswer(new LocalStatistics { TrainRows = data.Train.Count }, null);
        }
        catch (Exception e) when (e is AnalysisRefusedException or DataFileException or ArgumentException or InvalidDataException)
        {
            return new StatisticsAnswer(null, Refuse(task, e));
        }
    }

    /// <inheritdoc />
    public AnalysisOutcome Analyze(NodeTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            if (!_handlers.TryGetValue(task.Analysis.KindCase, out var handler))
                throw new AnalysisRefusedException($"this node does not know the analysis {task.Analysis.KindCase}.");
            var rules = options.Value.Analysis;
            var context = new AnalysisContext(task, datasets.Get(task), Math.Max(rules.MinCellCount, task.Analysis.MinCellCount), rules.ReleaseExactEventTimes);
            return new AnalysisOutcome(handler.Answer(context), null);
        }
        catch (Exception e) when (e is AnalysisRefusedException or DataFileException or ArgumentException or InvalidDataException)
        {
            return new AnalysisOutcome(null, Refuse(task, e));
        }
    }

    private string Refuse(NodeTask task, Exception e)
    {
        jobs.WriteRefusal(task, e.Message);
        AgentLog.JobRefused(logger, task.JobId, e.Message);
        return e is DataFileException data ? data.ForCoordinator() : e.Message;
    }
}
