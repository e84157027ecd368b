namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// What one caller can make the coordinator hold or write (section <c>Coordinator:Limits</c>): the wire's own bounds
/// on strings and collections are fixed by the contract (<see cref="Protos.V1.WireLimits"/>); these bound how many
/// registrations are kept, how many uploads are received at once and for how long, and how much the refusals of one
/// caller may write to the audit log. The memory of uploads in flight is bounded in <c>Coordinator:Aggregation</c>.
/// </summary>
public sealed class CallerLimitOptions
{
    /// <summary>
    /// Registered nodes (regions) the registry holds; a registration of a new region beyond it is refused with
    /// ResourceExhausted. With the wire limits this bounds <c>ListNodes</c> (at most about 300 bytes a node) far below gRPC's 4 MB.
    /// </summary>
    public int MaxNodes { get; set; } = 1000;

    /// <summary>
    /// Seconds an upload may go without a message before it is dropped (DeadlineExceeded), releasing its upload
    /// buffer for the other regions' uploads of the round. Default 30.
    /// </summary>
    public double UploadIdleSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds an upload may take from its header to its last chunk, however steadily it sends; one still open after it
    /// is dropped (DeadlineExceeded), releasing its upload buffer. It bounds how long a node trickling its chunks just
    /// inside <see cref="UploadIdleSeconds"/> holds a buffer. Default 600 (a 1-GB update at under 2 MB/s).
    /// </summary>
    public double UploadDeadlineSeconds { get; set; } = 600;

    /// <summary>
    /// Uploads received at once across all nodes; one more is refused at once with ResourceExhausted. A node has at most
    /// one open upload per round: a second one for the same round (a retry after a cut the coordinator has not noticed
    /// yet) replaces the first, which ends with Aborted. Default 64.
    /// </summary>
    public int MaxConcurrentUploads { get; set; } = 64;

    /// <summary>
    /// Hours after which a region unseen (no open task stream, no call) leaves the node list, so that one-off
    /// registrations do not stay in <c>fedcare nodes</c> for ever; an agent that comes back registers again. 0: never.
    /// </summary>
    public double ForgetUnseenNodesHours { get; set; } = 24;

    /// <summary>Refusals of one caller (node, certificate or peer) audited in a burst before rate limiting starts.</summary>
    public int RefusalAuditBurst { get; set; } = 20;

    /// <summary>
    /// Refusals of one caller audited per minute after the burst; the rest are counted and written as one entry
    /// "N further refusals suppressed" with the next one audited.
    /// </summary>
    public double RefusalAuditPerMinute { get; set; } = 10;

    /// <summary>Characters of an audited refusal's detail; longer details are cut, saying how many characters were cut.</summary>
    public int AuditDetailChars { get; set; } = 500;
}
