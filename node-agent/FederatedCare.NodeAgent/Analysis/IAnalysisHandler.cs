using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// The node's side of one analysis task kind (<see cref="AnalysisTask.KindOneofCase"/>): computes the answer on the
/// region's own rows. Registered in the agent's services; <see cref="RegionAnalyst"/> picks the handler by kind. A
/// new analysis kind is one handler here, one coordinator phase and its proto messages.
/// </summary>
public interface IAnalysisHandler
{
    /// <summary>The task kind this handler answers.</summary>
    AnalysisTask.KindOneofCase Kind { get; }

    /// <summary>The answer to <paramref name="context"/>'s task; releases only what the analysis releases by design.</summary>
    /// <exception cref="AnalysisRefusedException">This region does not answer (e.g. fewer events than its minimum cell count).</exception>
    AnalysisAnswer Answer(AnalysisContext context);
}

/// <summary>One analysis task with the region's data and release rules.</summary>
/// <param name="Task">The node task (job, round, schema, <see cref="NodeTask.Analysis"/>).</param>
/// <param name="Data">The job's analysis data.</param>
/// <param name="MinCellCount">The smallest count released: the larger of the region's and the job's minimum.</param>
/// <param name="ReleaseExactEventTimes">Whether the region releases exact event times (otherwise time bins only).</param>
public sealed record AnalysisContext(NodeTask Task, AnalysisData Data, int MinCellCount, bool ReleaseExactEventTimes)
{
    /// <summary>The task's analysis request.</summary>
    public AnalysisTask Request => Task.Analysis;
}
