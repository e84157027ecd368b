namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>The outcome of handing an answer to a round (<see cref="IRoundAdmission"/>).</summary>
public enum SubmitResult
{
    /// <summary>Recorded: the first answer of the node while the round was open.</summary>
    Accepted,

    /// <summary>The node had answered already; the earlier answer counts, once.</summary>
    Duplicate,

    /// <summary>The round closed (deadline passed, or it ended) before the answer arrived.</summary>
    Closed,

    /// <summary>
    /// The node refused the round's task, or was counted as refusing it (its certificate was revoked): an answer it
    /// sends afterwards does not count.
    /// </summary>
    Refused,
}
