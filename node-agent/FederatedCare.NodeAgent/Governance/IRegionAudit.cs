using System.Text.Json.Nodes;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// The region's own audit log: every job seen, every approval and refusal (and by whom), and every release. Kept by
/// the node, never sent to the coordinator; <see cref="RegionAuditLog"/> writes it as a hash-chained file.
/// </summary>
public interface IRegionAudit
{
    /// <summary>
    /// Appends one entry, durably, before returning. <paramref name="action"/> is one of <see cref="RegionAuditActions"/>;
    /// <paramref name="actor"/> is who acted (a person of the data team, an operator's certificate name, or
    /// <c>policy</c>); <paramref name="detail"/> holds only what the region may read back (never a row).
    /// </summary>
    /// <exception cref="IOException">The log could not be written; the caller must not release anything then.</exception>
    void Append(string action, string? jobId, string? actor, JsonObject? detail = null);
}
