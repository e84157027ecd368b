using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>Stores a running job's state, current round and message, and announces each change to the watchers.</summary>
public sealed class JobStatusReporter(string jobId, ICoordinatorStore store, IJobEventSink events)
{
    /// <summary>Updates the given fields of the job's status.</summary>
    /// <exception cref="OperationCanceledException">The job is no longer active (it was aborted meanwhile).</exception>
    public async Task SetAsync(JobState? state = null, int? currentRound = null, string? message = null, CancellationToken ct = default)
    {
        var status = await store.Jobs.UpdateAsync(jobId, state, currentRound, message, ct).ConfigureAwait(false)
            // The cancellation token stops this execution right after.
            ?? throw new OperationCanceledException("The job is no longer active.");
        events.Publish(status);
    }

    /// <summary>Stores the message of a completed round and announces it with the round's summary.</summary>
    public async Task RoundCompletedAsync(string message, RoundSummary round, CancellationToken ct)
    {
        var status = await store.Jobs.UpdateAsync(jobId, message: message, ct: ct).ConfigureAwait(false);
        if (status is not null) events.Publish(status, round);
    }
}
