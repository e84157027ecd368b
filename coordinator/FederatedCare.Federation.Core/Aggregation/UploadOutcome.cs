using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>What became of one update handed to a <see cref="RoundAccumulator"/>.</summary>
public enum UploadStatus
{
    /// <summary>Validated and taken into the round's aggregate.</summary>
    Accepted,

    /// <summary>The node's update was taken already; this one, byte-identical to it, was read to the end and dropped (an idempotent retry).</summary>
    Duplicate,

    /// <summary>The node's update was taken already and this one differs from it; nothing of it was kept.</summary>
    Conflict,

    /// <summary>The round closed before the update was complete; nothing of it was kept.</summary>
    Closed,

    /// <summary>
    /// A streaming round had no upload buffer free within <see cref="AggregationOptions.UploadBufferBytes"/>: refused at
    /// once after the manifest, nothing of it kept or waited for; the node sends it again.
    /// </summary>
    Busy,

    /// <summary>
    /// The node refused the round's task or was counted out of the round (a revoked certificate) before its update
    /// was complete; nothing of it was kept.
    /// </summary>
    Refused,

    /// <summary>Malformed or not allowed (manifest, size, hash, non-finite value, norm); nothing of it was kept.</summary>
    Invalid,
}

/// <summary>The outcome of an update: its status, why it is <see cref="UploadStatus.Invalid"/>, and its manifest when read.</summary>
/// <param name="Status">Accepted, duplicate, conflict, closed, refused, busy or invalid.</param>
/// <param name="Reason">Invalid, conflict or busy: what is wrong, for the node (e.g. "Tensor 'w' has shape [2] but ..."); else empty.</param>
/// <param name="Manifest">The update's manifest (its hash names the payload) when one was read; null otherwise.</param>
/// <param name="KeepsCallerArrays">In-process updates (<see cref="RoundAccumulator.Receive"/>) only: the round keeps a
/// reference to the caller's arrays (held within the budget, or kept for the job). False when they were folded and
/// dropped or not taken: the caller may then reuse them (the simulator does, so its memory does not grow with the clients).</param>
public sealed record UploadOutcome(UploadStatus Status, string Reason = "", ModelManifest? Manifest = null, bool KeepsCallerArrays = false)
{
    /// <summary>An invalid update, with the reason.</summary>
    public static UploadOutcome Invalid(string reason) => new(UploadStatus.Invalid, reason);
}
