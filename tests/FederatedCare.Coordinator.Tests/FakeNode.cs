using System.Threading.Channels;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Grpc.Net.Client;
using FederationClient = FederatedCare.Protos.V1.Federation.FederationClient;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A scripted node agent: registers, holds the task stream open, and lets the test answer tasks by hand.</summary>
internal sealed class FakeNode : IAsyncDisposable
{
    private readonly Channel<NodeTask> _tasks = Channel.CreateUnbounded<NodeTask>();
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    private FakeNode(FederationClient client, string region, string nodeId)
    {
        Client = client;
        Region = region;
        NodeId = nodeId;
        Headers = new Metadata { { WireNames.Headers.NodeId, nodeId } };
    }

    public FederationClient Client { get; }
    public string Region { get; }
    public string NodeId { get; }
    public Metadata Headers { get; }

    /// <summary>Registers as <paramref name="region"/> holding <paramref name="datasets"/> (default: the test specs' heart-disease).</summary>
    public static async Task<FakeNode> ConnectAsync(GrpcChannel channel, string region, params string[] datasets)
    {
        var client = new FederationClient(channel);
        var request = new RegisterRequest { Region = region, Device = "cpu", AgentVersion = "test" };
        request.Datasets.AddRange(datasets.Length > 0 ? datasets : ["heart-disease"]);
        var reply = await client.RegisterAsync(request);
        var node = new FakeNode(client, region, reply.NodeId);
        var call = client.WaitForTask(new WaitForTaskRequest { NodeId = reply.NodeId }, node.Headers, cancellationToken: node._stop.Token);
        // The coordinator pings as soon as the stream is open: once it arrives, the node counts as connected.
        var first = new TaskCompletionSource();
        node._pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var task in call.ResponseStream.ReadAllAsync(node._stop.Token))
                {
                    first.TrySetResult();
                    if (task.KindCase != NodeTask.KindOneofCase.Ping) await node._tasks.Writer.WriteAsync(task);
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

    /// <summary>The tasks received so far and not yet read (pings left out); completes when the stream ends.</summary>
    public ChannelReader<NodeTask> Tasks => _tasks.Reader;

    /// <summary>Whether a task (other than a ping) arrived that the test has not taken yet.</summary>
    public bool HasPendingTask => _tasks.Reader.TryPeek(out _);

    public async Task<NodeTask> NextTaskAsync(NodeTask.KindOneofCase kind)
    {
        var task = await _tasks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(kind, task.KindCase);
        return task;
    }

    public async Task<ModelParameters> DownloadAsync(string jobId, string sha)
    {
        using var call = Client.DownloadModel(new DownloadModelRequest { JobId = jobId, ModelSha256 = sha }, Headers);
        return await ModelStream.ReadAsync(call.ResponseStream);
    }

    public async Task<UploadUpdateResponse> UploadAsync(UpdateHeader header, ModelParameters model, Metadata? headers = null)
    {
        using var call = Client.UploadUpdate(headers ?? Headers);
        try
        {
            await call.RequestStream.WriteAsync(new UpdateChunk { Header = header });
            foreach (var chunk in ModelStream.ToChunks(model)) await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server rejected the update mid-stream; the response below carries the status.
        }
        catch (InvalidOperationException)
        {
            // Same: the call already completed.
        }
        return await call.ResponseAsync;
    }

    public Task ReportAsync(string jobId, int round, params RegionMetrics[] metrics) => ReportModelAsync(jobId, round, "", metrics);

    /// <summary>Reports metrics of the model labelled <paramref name="modelLabel"/> (cross-site validation; empty: federated evaluation).</summary>
    public Task ReportModelAsync(string jobId, int round, string modelLabel, params RegionMetrics[] metrics) =>
        Client.ReportMetricsAsync(new ReportMetricsRequest { JobId = jobId, Round = round, ModelLabel = modelLabel, Metrics = { metrics } },
            Headers).ResponseAsync;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _pump;
    }
}
