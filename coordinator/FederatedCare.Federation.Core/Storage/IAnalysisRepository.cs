using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// The results of analysis jobs (<see cref="JobSpec.Analysis"/>): one <see cref="AnalysisResult"/> per finished
/// analysis, keyed by (job, step). A resumed job skips the steps whose result is stored.
/// </summary>
public interface IAnalysisRepository
{
    /// <summary>Inserts or replaces the result of step <see cref="AnalysisResult.Step"/> of <paramref name="jobId"/>.</summary>
    Task SaveAsync(string jobId, AnalysisResult result, CancellationToken ct = default);

    /// <summary>The job's stored results ordered by step; empty when none.</summary>
    Task<IReadOnlyList<AnalysisResult>> ListAsync(string jobId, CancellationToken ct = default);
}
