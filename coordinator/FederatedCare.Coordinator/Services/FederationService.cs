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
/// Task streams end when the host stops (SIGTERM), after the running job was stopped (<see cref="ShutdownOrder"/>), and
/// an update that arrives while it stops is refused with Unavailable and discarded: the interrupted round is redone after
/// the restart. Uploads are bounded in number, time and memory (<see cref="UploadSlots"/>, <see cref="UploadChunks"/>,
/// the round's upload buffers). Every request is checked against
/// <see cref="WireLimits"/> (<see cref="RequestBounds"/>) before anything of it is logged, stored or echoed; caller
/// values in log lines go through <see cref="LogText"/>, and refusals reach the audit log through
/// <see cref="RefusalAudit"/> (cut and rate-limited per caller).
/// </summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindFederation))]
internal sealed partial class FederationService(NodeRegistry registry, UpdateValidator validator, ICoordinatorStore store,
    ModelCache cache, RoundBoard board, ChaosHook chaos, ShutdownOrder shutdown, IOptions<CoordinatorOptions> options,
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
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, shutdown.Streams);
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
            using var upload = await uploads.EnterAsync(node.NodeId, header.JobId, header.Round, ct).ConfigureAwait(false);
            var round = await validator.CheckHeaderAsync(node, header, ct).ConfigureAwait(false);
            var outcome = await upload.RunAsync(token => ReceiveAsync(round, node, header, requestStream, token)).ConfigureAwait(false);
            if (UploadRefusal.For(outcome, header, shutdown.Jobs.IsCancellationRequested, node.EndedBecause) is { } refusal) throw refusal;
            if (outcome.Status == UploadStatus.Accepted)
            {
                metrics.Uploaded(outcome.Manifest!.TotalBytes);
                await AuditAsync(context, node, header, "update.accepted", $"{header.Kind}, {header.NumExamples} examples, payload " +
                    (outcome.Manifest.Sha256.Length > 0 ? $"sha256 {outcome.Manifest.Sha256}" : $"xxh3-128 {outcome.Manifest.Xxh3128}"), ct).ConfigureAwait(false);
            }
            bool duplicate = outcome.Status == UploadStatus.Duplicate;
            metrics.Update(duplicate ? "duplicate" : "accepted");
            FederationLog.UpdateAccepted(logger, header.JobId, header.Round, node.Region, header.NumExamples, duplicate ? ", duplicate" : "");
            return new UploadUpdateResponse { Accepted = true, Duplicate = duplicate };
        }
        catch (RpcException e)
        {
            metrics.Update("rejected", e.StatusCode.ToString());
            await RejectedAsync(context, node, "update", "update.rejected", header.JobId, header.Round, e).ConfigureAwait(false);
            throw;
        }
    }

    // The round's accumulator reads the model chunks that follow the header (each within the idle limit).
    private async Task<UploadOutcome> ReceiveAsync(OpenRound round, NodeSession node, UpdateHeader header, IAsyncStreamReader<UpdateChunk> requestStream,
        CancellationToken ct)
    {
        // A retry of an update already taken (the accumulator reads it and answers Duplicate) does not pause.
        if (round.Phase == RoundPhase.Fit && !round.HasUpdateFrom(node.NodeId))
            await chaos.PauseAsync(ChaosPoints.MidUpload, header.Round, ct).ConfigureAwait(false);
        // Rounds that take updates (the initial model, fit) hand them to the round's accumulator.
        var accumulator = round.Accumulator
            ?? throw new InvalidOperationException($"Round {header.Round} of job '{header.JobId}' takes updates but has no accumulator.");
        var sender = new UpdateSender(node.NodeId, node.Region, header.NumExamples, header.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value));
        var idle = TimeSpan.FromSeconds(options.Value.Limits.UploadIdleSeconds);
        return await accumulator.ReceiveAsync(round, sender, UploadChunks.ReadAsync(requestStream, time, idle, ct), ct).ConfigureAwait(false);
    }

    // A refused call is audited and logged through its caller's refusal bucket (RefusalAudit): a flood of refusals from
    // one node fills neither the database nor the log; the next entry the bucket allows says how many were left out.
    private async Task RejectedAsync(ServerCallContext context, NodeSession node, string what, string action, string jobId, int round, RpcException e)
    {
        if (await refusals.AppendAsync(Actor(context, node), action, jobId, round, $"{e.StatusCode}: {e.Status.Detail}",
            CancellationToken.None).ConfigureAwait(false))
            FederationLog.Rejected(logger, LogText.Safe(jobId, WireLimits.JobIdChars), round, node.Region, what, e.StatusCode.ToString(),
                LogText.Safe(e.Status.Detail));
    }

    private Task AuditAsync(ServerCallContext context, NodeSession node, UpdateHeader header, string action, string detail, CancellationToken ct) =>
        store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context, node), action, header.JobId, header.Round, detail), ct);

    // With mutual TLS the certificate names the node (node:Halland); without it the region it registered as.
    private static string Actor(ServerCallContext context, NodeSession node) => CallerIdentity.Find(context)?.ToString() ?? node.Region;
}
