namespace FederatedCare.Federation.Core.Storage;

/// <summary>One line of the audit log: who did what, to which job and round, and why.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="Actor">
/// With mutual TLS the caller's certificate identity (<c>operator:alice</c>, <c>node:Halland</c>); without it
/// <c>operator@ADDRESS</c> or the node's region. <c>coordinator</c> for the coordinator's own decisions.
/// </param>
/// <param name="Action">e.g. job.started, job.aborted, update.accepted, update.rejected, metrics.rejected, access.denied.</param>
/// <param name="JobId">The job concerned, if any.</param>
/// <param name="Round">The round concerned, if any.</param>
/// <param name="Detail">Free text, e.g. the rejection reason.</param>
public sealed record AuditEntry(DateTimeOffset Time, string Actor, string Action, string? JobId, int? Round, string Detail);
