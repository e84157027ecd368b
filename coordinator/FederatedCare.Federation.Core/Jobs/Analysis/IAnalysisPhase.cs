using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// One analysis of an analysis job (<see cref="AnalysisStep"/>), run on the coordinator: it asks the joined regions
/// through <see cref="AnalysisRun.AskAsync(AnalysisTask, CancellationToken)"/> (one or more rounds), combines what
/// they release and returns the result the pipeline stores. A new analysis kind is one implementation (created in
/// <see cref="AnalysisPhases"/>), one node handler and its proto messages.
/// </summary>
public interface IAnalysisPhase
{
    /// <summary>The kind, e.g. <c>cox</c>: <see cref="AnalysisResult.Kind"/> and the status messages name it.</summary>
    string Kind { get; }

    /// <summary>Runs the analysis; the pipeline fills in the result's step and kind.</summary>
    /// <exception cref="JobFailedException">The analysis cannot be completed (e.g. a region it needs refused); the message says why.</exception>
    Task<AnalysisResult> RunAsync(AnalysisRun run, CancellationToken ct);
}
