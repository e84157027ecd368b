using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The values of <c>JobSpec.mode</c>. "federated" (or empty): rounds of local training and aggregation by the job's
/// strategy. "local": a baseline where every region trains once, alone, from the initial model and nothing is
/// aggregated; the regions' local models are kept and always cross-validated.
/// </summary>
public static class JobModes
{
    public const string Federated = "federated";
    public const string Local = "local";

    /// <summary>The known modes, for messages.</summary>
    public static IReadOnlyList<string> Known { get; } = [Federated, Local];

    public static bool IsKnown(string mode) => mode.Length == 0 || Known.Contains(mode, StringComparer.Ordinal);

    public static bool IsLocal(JobSpec spec) => spec.Mode == Local;
}
