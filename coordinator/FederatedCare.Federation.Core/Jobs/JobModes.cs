using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The job modes (<see cref="JobMode"/>): federated rounds of local training and aggregation by the job's strategy,
/// or a local baseline where every region trains once, alone, from the initial model and nothing is aggregated; the
/// regions' local models are kept and always cross-validated.
/// </summary>
public static class JobModes
{
    public static bool IsLocal(JobSpec spec) => spec.Mode == JobMode.Local;
}
