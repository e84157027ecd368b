using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>Where the engine announces a job's changes (the coordinator's WatchJob streams; nothing in simulation).</summary>
public interface IJobEventSink
{
    /// <summary>The job's new status, with the summary of the round that just completed when there is one.</summary>
    void Publish(JobStatus status, RoundSummary? round = null);
}
