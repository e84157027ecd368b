using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Coordinator.Diagnostics;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Services;

// The node's reports — evaluation metrics, the statistics phase's answer, analysis answers and task refusals — each
// bounded, validated against the open round, audited (refusals through RefusalAudit) and handed to the round.
internal sealed partial class FederationService
{
    public override async Task<ReportMetricsResponse> ReportMetrics(ReportMetricsRequest request, ServerCallContext context)
    {
        var node = NodeIdentity.Require(registry, context);
        var ct = context.CancellationToken;
        try
        {
            RequestBounds.Check(request);
            var (round, metrics) = await validator.CheckMetricsAsync(node, request, ct).ConfigureAwait(false);
            // Persist before acknowledging: the metrics survive a crash even if the round does not complete. Cross-site
            // cells go to their own table, so the per-round metrics hold federated evaluation only.
            if (round.Phase == RoundPhase.CrossSite)
                await store.Metrics.SaveCrossSiteAsync(request.JobId,
                    metrics.Select(m => new CrossSiteEntry { ModelLabel = request.ModelLabel, Metrics = m }), ct).ConfigureAwait(false);
            else
                await store.Metrics.SaveAsync(request.JobId, metrics, ct).ConfigureAwait(false);
            if (round.Phase == RoundPhase.Evaluate) await chaos.PauseAsync(ChaosPoints.MidEvaluation, request.Round, ct).ConfigureAwait(false);
            if (round.SubmitMetrics(node.NodeId, request.ModelLabel, metrics) == SubmitResult.Closed)
                throw UpdateValidator.Precondition($"Stale: evaluation of round {request.Round} closed (deadline passed).");
            FederationLog.MetricsAccepted(logger, request.JobId, request.Round, node.Region,
                string.Join(", ", metrics.Select(m => m.Split)), request.ModelLabel.Length > 0 ? $" of model {request.ModelLabel}" : "");
            return new ReportMetricsResponse();
        }
        catch (RpcException e)
        {
            await RejectedAsync(context, node, "metrics", "metrics.rejected", request.JobId, request.Round, e).ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<ReportStatisticsResponse> ReportStatistics(ReportStatisticsRequest request, ServerCallContext context)
    {
        var node = NodeIdentity.Require(registry, context);
        var ct = context.CancellationToken;
        try
        {
            RequestBounds.Check(request);
            var round = await validator.CheckStatisticsAsync(node, request, ct).ConfigureAwait(false);
            // A region's refusal (or a job still waiting for its approval, asked again every poll) is audited through
            // the refusal door: a node could otherwise repeat it at will.
            if (request.OutcomeCase is ReportStatisticsRequest.OutcomeOneofCase.Refusal or ReportStatisticsRequest.OutcomeOneofCase.Pending)
                await refusals.AppendAsync(Actor(context, node), request.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal ? "job.refused" : "job.pending",
                    request.JobId, 0, request.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal ? request.Refusal : request.Pending, ct).ConfigureAwait(false);
            else
                await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context, node), "statistics.accepted",
                    request.JobId, 0, $"{request.Statistics.TrainRows} training rows"), ct).ConfigureAwait(false);
            if (round.SubmitStatistics(node.NodeId, request) == SubmitResult.Closed)
                throw UpdateValidator.Precondition($"Stale: the statistics phase of job '{request.JobId}' closed (deadline passed).");
            return new ReportStatisticsResponse();
        }
        catch (RpcException e)
        {
            await RejectedAsync(context, node, "statistics", "statistics.rejected", request.JobId, 0, e).ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<ReportAnalysisResponse> ReportAnalysis(ReportAnalysisRequest request, ServerCallContext context)
    {
        var node = NodeIdentity.Require(registry, context);
        var ct = context.CancellationToken;
        try
        {
            RequestBounds.Check(request);
            var round = await validator.CheckAnalysisAsync(node, request, ct).ConfigureAwait(false);
            if (request.OutcomeCase == ReportAnalysisRequest.OutcomeOneofCase.Refusal)
                await refusals.AppendAsync(Actor(context, node), "analysis.refused", request.JobId, request.Round, request.Refusal, ct).ConfigureAwait(false);
            else
                await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context, node), "analysis.accepted",
                    request.JobId, request.Round, request.Answer.KindCase.ToString()), ct).ConfigureAwait(false);
            if (round.SubmitAnalysis(node.NodeId, request) == SubmitResult.Closed)
                throw UpdateValidator.Precondition($"Stale: analysis round {request.Round} of job '{request.JobId}' closed (deadline passed).");
            return new ReportAnalysisResponse();
        }
        catch (RpcException e)
        {
            await RejectedAsync(context, node, "analysis answer", "analysis.rejected", request.JobId, request.Round, e).ConfigureAwait(false);
            throw;
        }
    }

    public override async Task<ReportRefusalResponse> ReportRefusal(ReportRefusalRequest request, ServerCallContext context)
    {
        RequestBounds.Check(request);
        var node = NodeIdentity.Require(registry, context);
        var ct = context.CancellationToken;
        try
        {
            var (round, reason) = await validator.CheckRefusalAsync(node, request, ct).ConfigureAwait(false);
            if (round.SubmitRefusal(node.NodeId, request.ModelLabel, reason) == SubmitResult.Closed)
                throw UpdateValidator.Precondition($"Stale: round {request.Round} of job '{request.JobId}' closed (deadline passed).");
            await refusals.AppendAsync(Actor(context, node), "task.refused", request.JobId, request.Round, reason, ct).ConfigureAwait(false);
            FederationLog.TaskRefused(logger, request.JobId, request.Round, node.Region, reason);
            return new ReportRefusalResponse();
        }
        catch (RpcException e)
        {
            await RejectedAsync(context, node, "refusal", "refusal.rejected", request.JobId, request.Round, e).ConfigureAwait(false);
            throw;
        }
    }
}
