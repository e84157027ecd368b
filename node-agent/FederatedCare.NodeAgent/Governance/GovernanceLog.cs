using Microsoft.Extensions.Logging;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>The log lines of the region's governance (policy, approvals, ε ledger).</summary>
internal static partial class GovernanceLog
{
    [LoggerMessage(200, LogLevel.Information, "Job {JobId}: admitted (spec {SpecSha256}, by {Actor})")]
    public static partial void Admitted(ILogger logger, string jobId, string specSha256, string actor);

    [LoggerMessage(201, LogLevel.Warning, "Job {JobId}: refused by this region: {Reason}")]
    public static partial void Refused(ILogger logger, string jobId, string reason);

    [LoggerMessage(202, LogLevel.Warning, "Job {JobId}: waiting for the data team to approve spec {SpecSha256}; approve it with: approvals approve <sha256> --config <node.json>")]
    public static partial void Pending(ILogger logger, string jobId, string specSha256);

    [LoggerMessage(203, LogLevel.Information, "Job {JobId} round {Round}: ε spent by this region so far {Epsilon} at δ {Delta} (privacy-ledger.json)")]
    public static partial void EpsilonSpent(ILogger logger, string jobId, int round, double epsilon, double delta);

    [LoggerMessage(204, LogLevel.Warning, "No NodeAgent:Policy: this node runs every job its datasets match")]
    public static partial void NoPolicy(ILogger logger);
}
