using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Coordinator.Diagnostics;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Coordinator.Security;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using FederatedCare.Federation.Core.Metrics;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Services;

/// <summary>
/// The gRPC service node agents call: Register, WaitForTask (task stream with pings), DownloadModel, UploadUpdate,
/// ReportMetrics, Heartbeat. Every call after Register carries <c>x-node-id</c>; unknown ids get Unauthenticated.
/// Task streams end when the host stops (SIGTERM), and an update that arrives while it stops is refused with
/// Unavailable and discarded: the interrupted round is redone after the restart. Every request is checked against
/// <see cref="WireLimits"/> (<see cref="RequestBounds"/>) before anything of it is logged, stored or echoed; caller
/// values in log lines go through <see cref="LogText"/>, and refusals reach the audit log through
/// <see cref="RefusalAudit"/> (cut and rate-limited per caller).
/// </summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindFederation))]
internal sealed class FederationService(NodeRegistry registry, UpdateValidator validator, ICoordinatorStore store,
    ModelCache cache, RoundBoard board, ChaosHook chaos, IHostApplicationLifetime lifetime, IOptions<CoordinatorOptions> options,
    TimeProvider time, RefusalAudit refusals, UploadSlots uploads, CertificateExpiryMonitor expiry, FederationMetrics metrics,
    ILogger<FederationService> logger)
    : Protos.V1.Federation.FederationBase
{
    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        // Require touches the node: that is the heartbeat.
        RequestBounds.NodeId(request.NodeId, "node_id");
        NodeIdentity.Require(registry, context, request.NodeId);
        return Task.FromResult(new HeartbeatResponse());
    }

    public override Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        NodeSession session;
        try
        {
            RequestBounds.Check(request);
            RequestBounds.NodeId(request.PreviousNodeId, "previous_node_id");
            RegionBinding.CheckRegistration(context, request.Region);
            session = registry.Register(request, CallerIdentity.FindCertificate(context));
        }
        catch (RpcException e)
        {
            FederationLog.RegistrationRefused(logger, LogText.Safe(request.Region, WireLimits.RegionChars), e.StatusCode.ToString(), LogText.Safe(e.Status.Detail));
            throw;
        }
        FederationLog.Registered(logger, session.NodeId, session.Region, LogText.Safe(session.Device), LogText.Safe(session.AgentVersion));
        expiry.Registered(session);
        return Task.FromResult(new RegisterResponse
        {
            NodeId = session.NodeId,
            HeartbeatIntervalMs = (int)options.Value.HeartbeatInterval.TotalMilliseconds,
            CoordinatorTimeUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
    }

    public override async Task WaitForTask(WaitForTaskRequest request, IServerStreamWriter<NodeTask> responseStream, ServerCallContext context)
    {
        RequestBounds.NodeId(request.NodeId, "node_id");
        var node = NodeIdentity.Require(registry, context, request.NodeId);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var stream = node.OpenStream(stopping.Token);
        registry.NotifyChanged();
        FederationLog.Stream(logger, node.Region, "opened");
        var ct = stream.Token;
        // Writes take the call's token, not the stream's: with the stream's token, ending the registration (a revoked
        // certificate, a replacement) reached the agent as Cancelled about half the time (RevocationTests), the HTTP/2
        // stream reset before the status below that says why; the loop still stops on the stream's token.
        var writes = stopping.Token;
        try
        {
            // A first ping tells the node at once that it is connected.
            await responseStream.WriteAsync(new NodeTask { Ping = new Ping() }, writes).ConfigureAwait(false);
            Task<bool>? waiting = null;
            while (!ct.IsCancellationRequested)
            {
                waiting ??= node.Tasks.WaitToReadAsync(ct).AsTask();
                using (var beat = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    var delay = Task.Delay(options.Value.HeartbeatInterval, time, beat.Token);
                    var first = await Task.WhenAny(waiting, delay).ConfigureAwait(false);
                    beat.Cancel();
                    if (first == waiting)
                    {
                        if (!await waiting.ConfigureAwait(false)) break; // replaced by a newer registration
                        waiting = null;
                        while (node.Tasks.TryRead(out var task)) await responseStream.WriteAsync(task, writes).ConfigureAwait(false);
                    }
                    else
                    {
                        await responseStream.WriteAsync(new NodeTask { Ping = new Ping() }, writes).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The node went away, reconnected on another stream, or was replaced.
        }
        finally
        {
            node.CloseStream(stream);
            registry.NotifyChanged();
            FederationLog.Stream(logger, node.Region, "closed");
        }
        // Tell a replaced agent why, so that it stops instead of registering again: two live agents for one region
        // would otherwise take the region from each other for ever.
        // A registration removed for another reason (a revoked certificate) says that reason instead.
        if (node.IsEnded && !context.CancellationToken.IsCancellationRequested)
            throw new RpcException(node.EndedBecause ?? new Status(StatusCode.Aborted,
                $"Region '{node.Region}' was registered again by another agent; this agent's registration ({node.NodeId}) is replaced."));
    }

    public override async Task DownloadModel(DownloadModelRequest request, IServerStreamWriter<ModelChunk> responseStream, ServerCallContext context)
    {
        RequestBounds.Check(request);
        NodeIdentity.Require(registry, context);
        var ct = context.CancellationToken;
        if (await store.Jobs.GetAsync(request.JobId, ct).ConfigureAwait(false) is null)
            throw new RpcException(new Status(StatusCode.NotFound, $"Job '{request.JobId}' does not exist."));
        var model = cache.Find(request.JobId, request.ModelSha256)
            ?? await store.Models.ReadAsync(request.JobId, request.ModelSha256, ct).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound,
                $"Job '{request.JobId}' has no model with SHA-256 '{request.ModelSha256}'."));
        IAsyncStreamWriter<ModelChunk> writer = responseStream;
        if (board.Find(request.JobId) is { } open && chaos.Armed(ChaosPoints.MidDownload, open.Round))
            writer = new PausingStreamWriter<ModelChunk>(responseStream, chaos, ChaosPoints.MidDownload, open.Round, ct);
        await ModelStream.WriteAsync(model, writer, ct, knownSha256: request.ModelSha256).ConfigureAwait(false);
        metrics.Downloaded(model.TotalBytes);
    }

    public override async Task<UploadUpdateResponse> UploadUpdate(IAsyncStreamReader<UpdateChunk> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false) || requestStream.Current.PayloadCase != UpdateChunk.PayloadOneofCase.Header)
            throw UpdateValidator.Invalid("The first message of UploadUpdate must be the UpdateHeader.");
        var header = requestStream.Current.Header;
        var node = NodeIdentity.Require(registry, context);
        try
        {
            RequestBounds.Check(header);
            using var slot = uploads.Enter();
            var round = await validator.CheckHeaderAsync(node, header, ct).ConfigureAwait(false);
            // A retry of an update already taken (the accumulator reads it and answers Duplicate) does not pause.
            if (round.Phase == RoundPhase.Fit && !round.HasUpdateFrom(node.NodeId))
                await chaos.PauseAsync(ChaosPoints.MidUpload, header.Round, ct).ConfigureAwait(false);
            // Rounds that take updates (the initial model, fit) hand them to the round's accumulator.
            var accumulator = round.Accumulator
                ?? throw new InvalidOperationException($"Round {header.Round} of job '{header.JobId}' takes updates but has no accumulator.");
            var sender = new UpdateSender(node.NodeId, node.Region, header.NumExamples, header.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value));
            var outcome = await accumulator.ReceiveAsync(round, sender, UploadChunks.ReadAsync(requestStream, time, TimeSpan.FromSeconds(options.Value.Limits.UploadIdleSeconds), ct), ct).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case UploadStatus.Invalid:
                    throw UpdateValidator.Invalid(outcome.Reason);
                case UploadStatus.Conflict:
                    throw new RpcException(new Status(StatusCode.AlreadyExists, outcome.Reason));
                case UploadStatus.Closed when lifetime.ApplicationStopping.IsCancellationRequested:
                    throw new RpcException(new Status(StatusCode.Unavailable,
                        $"The coordinator is shutting down; the update for round {header.Round} was discarded and the round is redone after the restart."));
                case UploadStatus.Closed:
                    throw UpdateValidator.Precondition($"Stale: round {header.Round} of job '{header.JobId}' closed (deadline passed) before the update arrived.");
                case UploadStatus.Accepted:
                    var manifest = outcome.Manifest!;
                    metrics.Uploaded(manifest.TotalBytes);
                    await AuditAsync(context, node, header, "update.accepted",
                        $"{header.Kind}, {header.NumExamples} examples, payload " +
                        (manifest.Sha256.Length > 0 ? $"sha256 {manifest.Sha256}" : $"xxh3-128 {manifest.Xxh3128}"), ct).ConfigureAwait(false);
                    break;
            }
            bool duplicate = outcome.Status == UploadStatus.Duplicate;
            metrics.Update(duplicate ? "duplicate" : "accepted");
            FederationLog.UpdateAccepted(logger, header.JobId, header.Round, node.Region, header.NumExamples, duplicate ? ", duplicate" : "");
            return new UploadUpdateResponse { Accepted = true, Duplicate = duplicate };
        }
        catch (RpcException e)
        {
            metrics.Update("rejected", e.StatusCode.ToString());
            FederationLog.Rejected(logger, LogText.Safe(header.JobId, WireLimits.JobIdChars), header.Round, node.Region, "update",
                e.StatusCode.ToString(), LogText.Safe(e.Status.Detail));
            await refusals.AppendAsync(Actor(context, node), "update.rejected", header.JobId, header.Round, $"{e.StatusCode}: {e.Status.Detail}",
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

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
            FederationLog.Rejected(logger, LogText.Safe(request.JobId, WireLimits.JobIdChars), request.Round, node.Region, "metrics",
                e.StatusCode.ToString(), LogText.Safe(e.Status.Detail));
            await refusals.AppendAsync(Actor(context, node), "metrics.rejected", request.JobId, request.Round, $"{e.StatusCode}: {e.Status.Detail}",
                CancellationToken.None).ConfigureAwait(false);
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
            FederationLog.Rejected(logger, LogText.Safe(request.JobId, WireLimits.JobIdChars), 0, node.Region, "statistics",
                e.StatusCode.ToString(), LogText.Safe(e.Status.Detail));
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
            FederationLog.Rejected(logger, LogText.Safe(request.JobId, WireLimits.JobIdChars), request.Round, node.Region, "analysis answer",
                e.StatusCode.ToString(), LogText.Safe(e.Status.Detail));
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
            FederationLog.Rejected(logger, request.JobId, request.Round, node.Region, "refusal", e.StatusCode.ToString(), e.Status.Detail);
            throw;
        }
    }

    // The model chunks that follow the header; anything else breaks the protocol.
    private Task AuditAsync(ServerCallContext context, NodeSession node, UpdateHeader header, string action, string detail, CancellationToken ct) =>
        store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context, node), action, header.JobId, header.Round, detail), ct);

    // With mutual TLS the certificate names the node (node:Halland); without it the region it registered as.
    private static string Actor(ServerCallContext context, NodeSession node) => CallerIdentity.Find(context)?.ToString() ?? node.Region;
}
