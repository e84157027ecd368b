using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// The calls a node makes to the coordinator's Federation service, each as the protocol wants it: unary calls with a
/// deadline of <paramref name="callTimeout"/>, models downloaded in chunks and checked against the SHA-256 asked
/// for, updates uploaded as a header followed by the model's chunks. Every call after Register carries the node's
/// <see cref="NodeSession.Headers"/>.
/// </summary>
/// <param name="client">The Federation client on the node's channel.</param>
/// <param name="callTimeout">Deadline of the unary calls (Register, Heartbeat, ReportMetrics, ReportStatistics).</param>
public sealed class FederationCalls(Federation.FederationClient client, TimeSpan callTimeout)
{
    /// <summary>The default deadline of unary calls.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Calls with <see cref="DefaultCallTimeout"/>.</summary>
    public FederationCalls(CallInvoker invoker) : this(new Federation.FederationClient(invoker), DefaultCallTimeout)
    {
    }

    /// <summary>The underlying client, for calls a fake node makes by hand.</summary>
    public Federation.FederationClient Client => client;

    /// <summary>
    /// Registers as <paramref name="request"/>'s region; the session every later call carries, with the offset of the
    /// coordinator's clock from this agent's (<see cref="NodeSession.ClockOffset"/>).
    /// </summary>
    /// <param name="request">Region, version, device and datasets; its agent time is set here.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="time">This agent's clock (the system clock when null).</param>
    /// <returns>The session and the heartbeat interval the coordinator asks for (5 s when it names none).</returns>
    /// <exception cref="RpcException">The coordinator is unreachable or refused (Aborted: another node holds the region).</exception>
    public async Task<(NodeSession Session, TimeSpan HeartbeatInterval)> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        time ??= TimeProvider.System;
        var sent = time.GetUtcNow();
        request.AgentTimeUnixMs = sent.ToUnixTimeMilliseconds();
        var response = await client.RegisterAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var received = time.GetUtcNow();
        var interval = TimeSpan.FromMilliseconds(response.HeartbeatIntervalMs > 0 ? response.HeartbeatIntervalMs : 5000);
        // The coordinator read its clock somewhere during the call: the midpoint is the best guess (error ≤ RTT/2).
        var offset = response.CoordinatorTimeUnixMs > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(response.CoordinatorTimeUnixMs) - (sent + (received - sent) / 2)
            : TimeSpan.Zero;
        return (new NodeSession(response.NodeId, request.Region) { ClockOffset = offset }, interval);
    }

    /// <summary>Opens the long-lived stream of tasks (pings included); dispose the call to close it.</summary>
    public AsyncServerStreamingCall<NodeTask> WaitForTask(NodeSession session, CancellationToken cancellationToken) =>
        client.WaitForTask(new WaitForTaskRequest { NodeId = session.NodeId }, session.Headers, cancellationToken: cancellationToken);

    /// <summary>One heartbeat.</summary>
    /// <exception cref="RpcException">Unauthenticated: the coordinator no longer knows the node; otherwise a transport failure.</exception>
    public Task HeartbeatAsync(NodeSession session, CancellationToken cancellationToken) =>
        client.HeartbeatAsync(new HeartbeatRequest { NodeId = session.NodeId }, session.Headers, Deadline(), cancellationToken).ResponseAsync;

    /// <summary>
    /// Downloads model <paramref name="sha256"/> of job <paramref name="jobId"/>. With <paramref name="verify"/>, the
    /// manifest must announce that model (checked before allocating) and the payload must hash to it.
    /// </summary>
    /// <exception cref="RpcException">The download failed.</exception>
    /// <exception cref="InvalidDataException">The stream is malformed, or its content is not the model asked for.</exception>
    public async Task<ModelParameters> DownloadAsync(string jobId, string sha256, Metadata headers, CancellationToken cancellationToken, bool verify = true)
    {
        using var call = client.DownloadModel(new DownloadModelRequest { JobId = jobId, ModelSha256 = sha256 }, headers, cancellationToken: cancellationToken);
        return await ModelStream.ReadAsync(call.ResponseStream, cancellationToken, expectedSha256: verify ? sha256 : null).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads an update: <paramref name="header"/>, then <paramref name="model"/> as manifest + 1 MiB data chunks
    /// (<see cref="ModelStream"/>) in <paramref name="encoding"/> (float32 chunks wrap the tensors without copying).
    /// When the coordinator refuses the update mid-stream, the remaining chunks are not sent and its status is thrown.
    /// </summary>
    /// <exception cref="RpcException">The coordinator refused the update (its status), or the transport failed.</exception>
    public async Task<UploadUpdateResponse> UploadAsync(UpdateHeader header, ModelParameters model, Metadata headers, CancellationToken cancellationToken,
        DType encoding = DType.Float32, PayloadHash hash = PayloadHash.Sha256)
    {
        using var call = client.UploadUpdate(headers, cancellationToken: cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new UpdateChunk { Header = header }, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in ModelStream.ToChunks(model, encoding, hash: hash))
                await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk }, cancellationToken).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The call already completed (the coordinator refused mid-stream): its response carries the status.
        }
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Reports evaluation metrics.</summary>
    public Task ReportMetricsAsync(ReportMetricsRequest request, Metadata headers, CancellationToken cancellationToken) =>
        client.ReportMetricsAsync(request, headers, Deadline(), cancellationToken).ResponseAsync;

    /// <summary>Answers a statistics task: the region's aggregates, or its refusal to join.</summary>
    public Task ReportStatisticsAsync(ReportStatisticsRequest request, Metadata headers, CancellationToken cancellationToken) =>
        client.ReportStatisticsAsync(request, headers, Deadline(), cancellationToken).ResponseAsync;

    /// <summary>Tells the coordinator this node cannot run an initialize, fit or evaluate task, and why.</summary>
    public Task ReportRefusalAsync(ReportRefusalRequest request, Metadata headers, CancellationToken cancellationToken) =>
        client.ReportRefusalAsync(request, headers, Deadline(), cancellationToken).ResponseAsync;

    /// <summary>Answers an analysis task: what the analysis releases, or the region's refusal.</summary>
    public Task ReportAnalysisAsync(ReportAnalysisRequest request, Metadata headers, CancellationToken cancellationToken) =>
        client.ReportAnalysisAsync(request, headers, Deadline(), cancellationToken).ResponseAsync;

    private DateTime Deadline() => DateTime.UtcNow + callTimeout;
}
