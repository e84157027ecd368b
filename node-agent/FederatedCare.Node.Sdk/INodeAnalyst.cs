using FederatedCare.Protos.V1;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// What a region's node provides for analysis jobs: the answer to one <see cref="AnalysisTask"/> computed on its own
/// rows, or a refusal. The SDK's <see cref="TrainerTaskHandler"/> reports it (<c>Federation.ReportAnalysis</c>).
/// Called one task at a time. An answer releases only what the analysis releases by design (sums, gradients,
/// Hessians, counts under the region's minimum cell count suppressed), never a row.
/// </summary>
public interface INodeAnalyst
{
    /// <summary>
    /// The statistics phase of an analysis job (<see cref="StatisticsTask.Analysis"/>): checks the region's file for the
    /// job's schema and answers with its row count, or refuses with the reason (the region is then out of the job).
    /// </summary>
    StatisticsAnswer Statistics(NodeTask task);

    /// <summary>The answer to <paramref name="task"/>'s <see cref="NodeTask.Analysis"/>, or the region's refusal.</summary>
    AnalysisOutcome Analyze(NodeTask task);
}

/// <summary>The outcome of an analysis task: exactly one of the two is set.</summary>
/// <param name="Answer">What the region releases, or null.</param>
/// <param name="Refusal">Why the region does not answer (no file paths or cell values), or null.</param>
public sealed record AnalysisOutcome(AnalysisAnswer? Answer, string? Refusal);
