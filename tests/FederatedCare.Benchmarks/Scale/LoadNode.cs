using System.Diagnostics;
using System.Net;
using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>
/// A node agent with training replaced by a no-op, for load generation, on the node SDK's <see cref="FederationCalls"/>:
/// registers on its own channel (one HTTP/2 connection, like a real agent), answers Initialize with the given initial model, Fit by (optionally) downloading the
/// global model with the real wire code and uploading a fixed delta, and Evaluate with a dummy metric; sends a
/// heartbeat every second like an agent.
/// </summary>
public sealed class LoadNode : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly FederationCalls _calls;
    private readonly NodeSession _session;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Task _heartbeat;

    private LoadNode(GrpcChannel channel, FederationCalls calls, NodeSession session, Func<NodeTask, LoadNode, Task> handle)
    {
        (_channel, _calls, _session) = (channel, calls, session);
        var call = calls.WaitForTask(session, _stop.Token);
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var task in call.ResponseStream.ReadAllAsync(_stop.Token))
                    if (task.KindCase is not (NodeTask.KindOneofCase.Ping or NodeTask.KindOneofCase.None))
                        _ = Task.Run(() => handle(task, this));
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (RpcException) { } // the coordinator ended the stream (job over, process stopping)
            finally { call.Dispose(); }
        });
        _heartbeat = Task.Run(async () =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await calls.HeartbeatAsync(session, _stop.Token);
                    await Task.Delay(1000, _stop.Token);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (RpcException) { }
        });
    }

    /// <summary>The node's region.</summary>
    public string Region => _session.Region;

    /// <summary>Connects with HTTP/2 windows like the node agent's.</summary>
    public static async Task<LoadNode> ConnectAsync(Uri address, string region, Func<NodeTask, LoadNode, Task> handle)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                InitialHttp2StreamWindowSize = 16 * 1024 * 1024,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
            MaxReceiveMessageSize = 64 << 20,
            MaxSendMessageSize = 64 << 20,
        });
        var calls = new FederationCalls(channel.CreateCallInvoker());
        var (session, _) = await calls.RegisterAsync(
            new RegisterRequest { Region = region, Device = WireNames.Devices.Cpu, AgentVersion = "bench", Datasets = { "bench" } }, CancellationToken.None);
        return new LoadNode(channel, calls, session, handle);
    }

    /// <summary>Downloads the task's global model; returns it and the seconds taken.</summary>
    public async Task<(ModelParameters Model, double Seconds)> DownloadAsync(NodeTask task)
    {
        var watch = Stopwatch.StartNew();
        var model = await _calls.DownloadAsync(task.JobId, task.ModelSha256, _session.Headers, CancellationToken.None);
        return (model, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Uploads <paramref name="model"/> as the task's answer (initial model or delta); returns the seconds taken, the
    /// waits for an upload buffer included: a coordinator whose streaming round has every buffer within
    /// <c>Coordinator:Aggregation:UploadBufferBytes</c> leased lets an upload wait for one (UploadBufferWaitSeconds) and
    /// then refuses it (ResourceExhausted); the load node sends again after 50 ms (an agent after its 1/2/4 s backoff).
    /// </summary>
    public async Task<double> UploadAsync(NodeTask task, ModelParameters model, UpdateKind kind)
    {
        var watch = Stopwatch.StartNew();
        var header = new UpdateHeader { JobId = task.JobId, Round = task.Round, BaseModelSha256 = task.ModelSha256, Kind = kind, NumExamples = 100 };
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var response = await _calls.UploadAsync(header, model, _session.Headers, CancellationToken.None, DType.Float32, PayloadHash.Xxh3);
                if (!response.Accepted) throw new InvalidOperationException($"{Region}: update not accepted");
                return watch.Elapsed.TotalSeconds;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && attempt < 10_000)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Reports a dummy test metric for an evaluate task.</summary>
    public Task ReportAsync(NodeTask task) => _calls.ReportMetricsAsync(new ReportMetricsRequest
    {
        JobId = task.JobId, Round = task.Round, ModelLabel = task.Evaluate.ModelLabel,
        Metrics = { new RegionMetrics { Split = WireNames.Splits.Test, NumExamples = 1, Loss = 0, Accuracy = 0 } },
    }, _session.Headers, CancellationToken.None);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        await _heartbeat;
        _channel.Dispose();
    }
}
