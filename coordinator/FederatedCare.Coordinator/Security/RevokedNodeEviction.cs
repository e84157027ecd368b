using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Applies a new revocation list to the nodes already registered: each node whose certificate is on it loses its
/// registration at once (its task stream ends with Unauthenticated, so the agent's next call, a new registration, is
/// refused by <see cref="CertificateAuthorizationInterceptor"/>), and every open round that expects it counts it as
/// having refused, so the job goes on with the other regions instead of waiting for the round deadline. Each dropped
/// registration is logged and audited.
/// </summary>
internal sealed class RevokedNodeEviction(NodeRegistry registry, RoundBoard board, RefusalAudit refusals, ILogger<RevokedNodeEviction> logger)
{
    /// <summary>The audit action of every refusal and dropped registration because of a revoked certificate.</summary>
    public const string AuditAction = "certificate.revoked";

    /// <summary>Drops the registrations whose certificates <paramref name="credentials"/> revokes; returns them.</summary>
    public async Task<IReadOnlyList<NodeSession>> EvictAsync(TlsCredentials credentials, CancellationToken ct = default)
    {
        var dropped = registry.Remove(
            s => s.Certificate is { } certificate && credentials.IsRevoked(certificate),
            s => new Status(StatusCode.Unauthenticated,
                $"The certificate of region '{s.Region}' (serial {s.Certificate!.Serial}) is revoked by the federation CA."));
        foreach (var session in dropped)
        {
            var serial = session.Certificate!.Serial;
            SecurityLog.RevokedNodeDropped(logger, session.Region, session.NodeId, serial);
            foreach (var round in board.All.Where(r => r.IsExpected(session.NodeId))) CountAsRefused(round, session.NodeId);
            await refusals.AppendAsync($"node:{session.Region}", AuditAction, null, null,
                $"registration {session.NodeId} dropped: its certificate (serial {serial}) is revoked by the federation CA", ct).ConfigureAwait(false);
        }
        return dropped;
    }

    // The answer a region that cannot take part gives in each kind of round: a refusal of its task(s).
    private static void CountAsRefused(OpenRound round, string nodeId)
    {
        const string reason = "its certificate was revoked";
        switch (round.Phase)
        {
            case RoundPhase.Statistics:
                round.SubmitStatistics(nodeId, new ReportStatisticsRequest { JobId = round.JobId, Refusal = reason });
                break;
            case RoundPhase.Analysis:
                round.SubmitAnalysis(nodeId, new ReportAnalysisRequest { JobId = round.JobId, Round = round.Round, Refusal = reason });
                break;
            default:
                foreach (var label in round.ModelLabels) round.SubmitRefusal(nodeId, label, reason);
                break;
        }
    }
}
