using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>The gRPC status of an upload the round's accumulator did not take (Accepted and Duplicate are answered as such).</summary>
internal static class UploadRefusal
{
    /// <summary>
    /// Invalid → InvalidArgument; Conflict → AlreadyExists; Busy (no upload buffer free) → ResourceExhausted; Closed →
    /// Unavailable while the coordinator stops (the round is redone after the restart), else FailedPrecondition (stale);
    /// Refused → the reason the node's registration ended (<paramref name="registrationEnded"/>: Unauthenticated for a
    /// revoked certificate), else FailedPrecondition (the node refused the task itself).
    /// </summary>
    /// <returns>The exception to throw, or null for Accepted and Duplicate.</returns>
    public static RpcException? For(UploadOutcome outcome, UpdateHeader header, bool stopping, Status? registrationEnded = null) => outcome.Status switch
    {
        UploadStatus.Refused when registrationEnded is { } ended => new RpcException(ended),
        UploadStatus.Refused => UpdateValidator.Precondition(
            $"This node refused its task of round {header.Round} of job '{header.JobId}'; an update sent afterwards does not count."),
        UploadStatus.Invalid => UpdateValidator.Invalid(outcome.Reason),
        UploadStatus.Conflict => new RpcException(new Status(StatusCode.AlreadyExists, outcome.Reason)),
        UploadStatus.Busy => new RpcException(new Status(StatusCode.ResourceExhausted, outcome.Reason)),
        UploadStatus.Closed when stopping => new RpcException(new Status(StatusCode.Unavailable,
            $"The coordinator is shutting down; the update for round {header.Round} was discarded and the round is redone after the restart.")),
        UploadStatus.Closed => UpdateValidator.Precondition(
            $"Stale: round {header.Round} of job '{header.JobId}' closed (deadline passed) before the update arrived."),
        _ => null,
    };
}
