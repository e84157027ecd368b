using System.Threading.Channels;
using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;
using FederationClient = FederatedCare.Protos.V1.Federation.FederationClient;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// A scripted node agent on the node SDK's <see cref="FederationCalls"/>: registers, holds the task stream open, and
/// lets the test answer tasks by hand (or make raw calls through <see cref="Client"/>).
/// </summary>
internal sealed class FakeNode : IAsyncDisposable
{
    private readonly Channel<NodeTask> _tasks = Channel.CreateUnbounded<NodeTask>();
    private readonly Channel<NodeTask> _cancellations = Channel.CreateUnbounded<NodeTask>();
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    private FakeNode(GrpcChannel channel, FederationCalls calls, NodeSession session)
    {
        Client = new FederationClient(channel);
        Calls = calls;
        Session = session;
    }

    /// <summary>A raw client, for calls the SDK would never make (impersonation, cut-off uploads).</summary>
    public FederationClient Client { get; }
    public FederationCalls Calls { get; }
    public NodeSession Session { get; }
    public string Region => Session.Region;
    public string NodeId => Session.NodeId;
    public Metadata Headers => Session.Headers;

    /// <summary>Registers as <paramref name="region"/> holding <paramref name="datasets"/> (default: the test specs' heart-disease).</summary>
    public static async Task<FakeNode> ConnectAsync(GrpcChannel channel, string region, params string[] datasets)
    {
        var calls = new FederationCalls(channel.CreateCallInvoker());
        var request = new RegisterRequest { Region = region, Device = WireNames.Devices.Cpu, AgentVersion = "test" };
        request.Datasets.AddRange(datasets.Length > 0 ? datasets : ["heart-disease"]);
        var (session, _) = await calls.RegisterAsync(request, CancellationToken.None);
        var node = new FakeNode(channel, calls, session);
        var call = calls.WaitForTask(session, node._stop.Token);
        // The coordinator pings as soon as the stream is open: once it arrives, the node counts as connected.
        var first = new TaskCompletionSource();
        node._pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var task in call.ResponseStream.ReadAllAsync(node._stop.Token))
                {
                    first.TrySetResult();
                    if (task.KindCase == NodeTask.KindOneofCase.Cancel) await node._cancellations.Writer.WriteAsync(task);
                    else if (task.KindCase != NodeTask.KindOneofCase.Ping) await node._tasks.Writer.WriteAsync(task);
                }
            }
            catch (Exception) when (node._stop.IsCancellationRequested) { }
            catch (RpcException) { }
            finally
            {
                first.TrySetResult();
                node._tasks.Writer.TryComplete();
                call.Dispose();
            }
        });
        await first.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return node;
    }

    /// <summary>The job cancellations received (kept apart from <see cref="Tasks"/>, so scripted task sequences stay as they were).</summary>
    public ChannelReader<NodeTask> Cancellations => _cancellations.Reader;

    /// <summary>The tasks received so far and not yet read (pings and cancellations left out); completes when the stream ends.</summary>
    public ChannelReader<NodeTask> Tasks => _tasks.Reader;

    /// <summary>Whether a task (other than a ping) arrived that the test has not taken yet.</summary>
    public bool HasPendingTask => _tasks.Reader.TryPeek(out _);

    public async Task<NodeTask> NextTaskAsync(NodeTask.KindOneofCase kind)
    {
        var task = await _tasks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(kind, task.KindCase);
        return task;
    }

    /// <summary>Downloads a model without checking it against <paramref name="sha"/> (tests check what they got).</summary>
    public Task<ModelParameters> DownloadAsync(string jobId, string sha) => Calls.DownloadAsync(jobId, sha, Headers, CancellationToken.None, verify: false);

    /// <summary>Uploads an update (float32, SHA-256), as this node or with other <paramref name="headers"/>; a refusal mid-stream throws its status.</summary>
    public Task<UploadUpdateResponse> UploadAsync(UpdateHeader header, ModelParameters model, Metadata? headers = null) =>
        Calls.UploadAsync(header, model, headers ?? Headers, CancellationToken.None);

    public Task ReportAsync(string jobId, int round, params RegionMetrics[] metrics) => ReportModelAsync(jobId, round, "", metrics);

    /// <summary>Reports metrics of the model labelled <paramref name="modelLabel"/> (cross-site validation; empty: federated evaluation).</summary>
    public Task ReportModelAsync(string jobId, int round, string modelLabel, params RegionMetrics[] metrics) =>
        Calls.ReportMetricsAsync(new ReportMetricsRequest { JobId = jobId, Round = round, ModelLabel = modelLabel, Metrics = { metrics } },
            Headers, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _pump;
    }
}
