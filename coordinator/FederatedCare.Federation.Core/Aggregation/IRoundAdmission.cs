using FederatedCare.Federation.Core.Strategies;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// The round's record of who answered (the coordinator's open round): it admits one update per node while the round
/// is open, and runs the accumulator's fold under its lock, so an update is folded exactly once and never after the
/// round closed.
/// </summary>
public interface IRoundAdmission
{
    /// <summary>Whether the node's update was admitted already.</summary>
    bool HasUpdateFrom(string nodeId);

    /// <summary>
    /// Records <paramref name="update"/> for <paramref name="nodeId"/> unless the round closed or the node answered
    /// already; <paramref name="fold"/> runs, under the round's lock, only when it is accepted.
    /// </summary>
    SubmitResult Submit(string nodeId, ClientUpdate update, Action? fold = null);
}
