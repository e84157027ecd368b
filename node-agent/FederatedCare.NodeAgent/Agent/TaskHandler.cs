using System.Diagnostics;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>
/// Runs one <see cref="NodeTask"/>: initialize (upload the seeded initial model), fit (download, train, upload the
/// delta), evaluate (download, evaluate, report metrics); pings are ignored. A task that fails — the coordinator
/// refuses a stale update, the model does not fit, the dataset is not configured here — is logged and dropped, so
/// the agent goes on with the next task; only cancellation and a broken connection propagate.
/// </summary>
public sealed class TaskHandler(
    CoordinatorConnection connection,
    GlobalModelSource models,
    DatasetCatalog datasets,
    ModelZoo zoo,
    LocalTrainer trainer,
    Evaluator evaluator,
    IOptions<NodeAgentOptions> options,
    TimeProvider time,
    ILogger<TaskHandler> logger)
{
    private readonly string _region = options.Value.Region;
    private readonly TimeSpan _callTimeout = TimeSpan.FromSeconds(options.Value.CallTimeoutSeconds);

    /// <summary>Handles <paramref name="task"/>.</summary>
    /// <exception cref="OperationCanceledException">The agent is stopping.</exception>
    public async Task HandleAsync(NodeTask task, NodeSession session, CancellationToken cancellationToken)
    {
        if (task.KindCase is NodeTask.KindOneofCase.Ping or NodeTask.KindOneofCase.None) return;
        var kind = task.KindCase.ToString().ToLowerInvariant();
        if (task.DeadlineUnixMs > 0 && time.GetUtcNow().ToUnixTimeMilliseconds() > task.DeadlineUnixMs)
        {
            AgentLog.TaskExpired(logger, task.JobId, task.Round, kind);
            return;
        }
        try
        {
            if (!datasets.TryGet(task.Dataset, out var data))
                throw new ArgumentException($"dataset '{task.Dataset}' is not configured in this region (have: {string.Join(", ", datasets.Names)}).");
            switch (task.KindCase)
            {
                case NodeTask.KindOneofCase.Initialize:
                    await InitializeAsync(task, data, session, cancellationToken).ConfigureAwait(false);
                    break;
                case NodeTask.KindOneofCase.Fit:
                    await FitAsync(task, data, session, cancellationToken).ConfigureAwait(false);
                    break;
                case NodeTask.KindOneofCase.Evaluate:
                    await EvaluateAsync(task, data, session, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            AgentLog.TaskRpcFailed(logger, task.JobId, task.Round, kind, e.StatusCode, e.Status.Detail);
        }
        catch (Exception e) when (e is ModelSpecException or ArgumentException or InvalidDataException)
        {
            AgentLog.TaskRejected(logger, task.JobId, task.Round, kind, e.Message);
        }
    }

    private async Task InitializeAsync(NodeTask task, LocalDataset data, NodeSession session, CancellationToken ct)
    {
        var model = zoo.CreateInitial(task.Model ?? new ModelSpec(), task.Seed, data.Width);
        var header = new UpdateHeader
        {
            JobId = task.JobId,
            Round = 0,
            Kind = UpdateKind.InitialModel,
            NumExamples = data.Train.Rows,
        };
        await UploadAsync(header, model, session, ct).ConfigureAwait(false);
        AgentLog.InitialUploaded(logger, task.JobId, task.Model?.Name ?? "", task.Seed, model.ComputeSha256());
    }

    private async Task FitAsync(NodeTask task, LocalDataset data, NodeSession session, CancellationToken ct)
    {
        var settings = TrainingSettings.From(task.Fit.Local);
        var global = await models.GetAsync(task.JobId, task.ModelSha256, session, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var update = trainer.Train(data, task.Model ?? new ModelSpec(), global, settings, task.Seed, task.Round, _region, ct);
        long trainMs = watch.ElapsedMilliseconds;
        var header = new UpdateHeader
        {
            JobId = task.JobId,
            Round = task.Round,
            BaseModelSha256 = task.ModelSha256,
            Kind = UpdateKind.Delta,
            NumExamples = update.NumExamples,
        };
        foreach (var (k, v) in update.Metrics) header.Metrics[k] = v;
        var response = await UploadAsync(header, update.Delta, session, ct).ConfigureAwait(false);
        var outcome = response.Duplicate ? "already accepted" : response.Accepted ? "accepted" : "not accepted";
        AgentLog.FitUploaded(logger, task.JobId, task.Round, update.Steps, update.NumExamples, trainMs, update.TrainLoss, outcome);
    }

    private async Task EvaluateAsync(NodeTask task, LocalDataset data, NodeSession session, CancellationToken ct)
    {
        var model = await models.GetAsync(task.JobId, task.ModelSha256, session, ct).ConfigureAwait(false);
        var request = new ReportMetricsRequest { JobId = task.JobId, Round = task.Round };
        var splits = task.Evaluate.Splits.Count > 0 ? task.Evaluate.Splits.Distinct().ToList() : ["test"];
        foreach (var split in splits)
        {
            var result = evaluator.Evaluate(data, task.Model ?? new ModelSpec(), model, split);
            request.Metrics.Add(new RegionMetrics
            {
                Region = _region,
                Round = task.Round,
                Split = result.Split,
                NumExamples = result.NumExamples,
                Loss = result.Loss,
                Accuracy = result.Accuracy,
            });
            AgentLog.Evaluated(logger, task.JobId, task.Round, result.Split, result.Loss, result.Accuracy, result.NumExamples);
        }
        await connection.Client.ReportMetricsAsync(request, session.Headers, Deadline(), ct).ConfigureAwait(false);
    }

    // The header first, then the model as manifest + 1 MiB data chunks (ModelStream), as the contract requires.
    private async Task<UploadUpdateResponse> UploadAsync(UpdateHeader header, ModelParameters model, NodeSession session, CancellationToken ct)
    {
        using var call = connection.Client.UploadUpdate(session.Headers, cancellationToken: ct);
        await call.RequestStream.WriteAsync(new UpdateChunk { Header = header }, ct).ConfigureAwait(false);
        foreach (var chunk in ModelStream.ToChunks(model))
            await call.RequestStream.WriteAsync(new UpdateChunk { Model = chunk }, ct).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    private DateTime Deadline() => DateTime.UtcNow + _callTimeout;
}
