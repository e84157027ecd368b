namespace FederatedCare.NodeAgent.Governance;

/// <summary>The actions the region's audit log records (<see cref="IRegionAudit.Append"/>).</summary>
public static class RegionAuditActions
{
    /// <summary>A job's first task reached the node (its spec hash, kind, submitter).</summary>
    public const string JobSeen = "job_seen";
    /// <summary>A job was approved (by the policy in auto mode, by a person in manual mode).</summary>
    public const string Approved = "approved";
    /// <summary>A job or task was refused (the rule, never a data value).</summary>
    public const string Refused = "refused";
    /// <summary>A job waits for a person's approval.</summary>
    public const string Pending = "pending";
    /// <summary>Something left the region: an update (hash, L2 norm, num_examples), statistics, metrics, ε spent.</summary>
    public const string Released = "released";
}
