using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>Groups of <see cref="JobState"/> that stores and services filter on.</summary>
public static class JobStates
{
    /// <summary>The states a job never leaves: succeeded, failed, aborted.</summary>
    public static IReadOnlyList<JobState> Terminal { get; } = [JobState.Succeeded, JobState.Failed, JobState.Aborted];

    /// <summary>True for a state in <see cref="Terminal"/>.</summary>
    public static bool IsTerminal(JobState state) => Terminal.Contains(state);
}
