using System.Diagnostics;
using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
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
/// Runs one <see cref="NodeTask"/>: initialize (upload the seeded initial model), fit (download, train with the
/// strategy's local objective — FedProx, SCAFFOLD — and upload the delta, clipped first when the task asks for
/// client-side DP clipping), evaluate (download the named model, evaluate, report metrics with the task's model
/// label); pings are ignored. A task that fails — the coordinator refuses a stale update, the model does not fit, the
/// dataset is not configured here, libtorch refuses an operation — is logged and dropped, so the agent goes on with
/// the next task; only cancellation and Unauthenticated (the coordinator no longer knows this node: the agent must
/// register again) propagate.
/// </summary>
public sealed class TaskHandler(
    CoordinatorChannel channel,
    GlobalModelSource models,
    JobDatasets datasets,
    ModelZoo zoo,
    LocalTrainer trainer,
    Evaluator evaluator,
    ControlVariateStore controls,
    IOptions<NodeAgentOptions> options,
    TimeProvider time,
    ILogger<TaskHandler> logger) : INodeTaskHandler
{
    private readonly FederationCalls _calls = channel.Calls;
    private readonly string _region = options.Value.Region;
    private readonly bool _noOpTraining = options.Value.NoOpTraining;

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
            if (task.KindCase == NodeTask.KindOneofCase.Statistics)
            {
                await ReportStatisticsAsync(task, session, cancellationToken).ConfigureAwait(false);
                return;
            }
            var data = datasets.Get(task);
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
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && e.StatusCode != StatusCode.Unauthenticated)
        {
            AgentLog.TaskRpcFailed(logger, task.JobId, task.Round, kind, e.StatusCode, e.Status.Detail);
        }
        catch (Exception e) when (e is ModelSpecException or ArgumentException or InvalidDataException or DataFileException)
        {
            AgentLog.TaskRejected(logger, task.JobId, task.Round, kind, e.Message);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // libtorch refused an operation (e.g. a model whose values are out of range): this task fails, the
            // connection and the agent's other work do not.
            AgentLog.TaskRejected(logger, task.JobId, task.Round, kind, $"libtorch: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>
    /// The answer to a statistics task: check the file against the job's schema and the model against the encoded
    /// width, then report the aggregates the schema allows — or refuse, with the reason, and stay out of the job.
    /// </summary>
    private async Task ReportStatisticsAsync(NodeTask task, NodeSession session, CancellationToken ct)
    {
        var request = new ReportStatisticsRequest { JobId = task.JobId };
        try
        {
            LocalStatistics statistics;
            if (task.Schema is null || !datasets.IsTabular(task.Dataset))
            {
                // A fixed-format dataset: only its row count.
                var data = datasets.Get(task);
                if (task.Schema?.Normalization?.Kind == NormalizationKind.ZscoreFederated)
                    throw new ArgumentException($"dataset '{task.Dataset}' has a fixed format and cannot normalise with federated statistics.");
                statistics = new LocalStatistics { TrainRows = data.Train.Rows };
            }
            else
            {
                var prepared = datasets.Prepare(task);
                var width = prepared.Statistics.Columns.Count > 0 ? prepared.Statistics.Columns.Count : prepared.Data!.Width;
                int classes = task.Schema.Label.Task == LabelTask.Multiclass ? task.Schema.Label.Levels.Count : task.Schema.Label.Task == LabelTask.Regression ? 1 : 2;
                zoo.Check(task.Model ?? new ModelSpec(), new DataShape(width, task.Schema.Label.Task, classes));
                statistics = prepared.Statistics;
            }
            if (statistics.TrainRows < datasets.MinRows(task.Dataset))
                throw new ArgumentException($"only {statistics.TrainRows} training rows, fewer than the {datasets.MinRows(task.Dataset)} this region requires (MinRows).");
            request.Statistics = statistics;
            AgentLog.StatisticsReported(logger, task.JobId, statistics.TrainRows, statistics.Columns.Count);
        }
        catch (Exception e) when (e is ModelSpecException or ArgumentException or InvalidDataException or DataFileException)
        {
            // The coordinator gets no folder and no cell value; the region's log and profile keep the full message.
            request.Refusal = e is DataFileException data ? data.ForCoordinator() : e.Message;
            datasets.WriteRefusal(task, e.Message);
            AgentLog.JobRefused(logger, task.JobId, e.Message);
        }
        await _calls.ReportStatisticsAsync(request, session.Headers, ct).ConfigureAwait(false);
    }

    private async Task InitializeAsync(NodeTask task, LocalDataset data, NodeSession session, CancellationToken ct)
    {
        var model = zoo.CreateInitial(task.Model ?? new ModelSpec(), task.Seed, data.Shape);
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
        var strategy = task.Fit.Strategy ?? new StrategySpec();
        var strategyName = (strategy.Name ?? "").Trim().ToLowerInvariant();
        var global = await models.GetAsync(task.JobId, task.ModelSha256, session, ct).ConfigureAwait(false);
        var scaffold = strategyName == Scaffold.Name ? await ScaffoldControlsAsync(task, settings, global, session, ct).ConfigureAwait(false) : null;
        // Other strategies (fedavg, cyclic, fedadam, ...) act on the server only: plain local training.
        var objective = strategyName switch
        {
            FedProx.Name => new LocalObjective(ProximalMu: FedProx.MuOf(strategy)),
            Scaffold.Name => new LocalObjective(GradientCorrection: Scaffold.Correction(scaffold!.Server, scaffold.Client)),
            _ => LocalObjective.None,
        };

        var watch = Stopwatch.StartNew();
        var update = _noOpTraining
            ? new LocalUpdate(global.ZerosLike(), data.Train.Rows, 0, 0)
            : trainer.Train(data, task.Model ?? new ModelSpec(), global, settings, task.Seed, task.Round, _region, objective, ct);
        long trainMs = watch.ElapsedMilliseconds;
        var payload = update.Delta;
        ModelParameters? nextControl = null;
        if (scaffold is not null)
        {
            var controlDelta = _noOpTraining ? global.ZerosLike()
                : Scaffold.ControlDelta(update.Delta, scaffold.Server, update.Steps, settings.LearningRate);
            payload = Scaffold.UploadPayload(update.Delta, controlDelta);
            nextControl = ModelParameterMapper.Add(scaffold.Client, controlDelta);
        }

        var encoding = UpdateEncoding.DTypeOf(task.Fit.UpdateEncoding);
        if (task.Fit.ClippingNorm > 0)
        {
            // Differential privacy, client-side clipping: the coordinator refuses an update longer than the clipping norm.
            double norm = DeltaClipping.Clip(payload, task.Fit.ClippingNorm, encoding);
            if (norm > task.Fit.ClippingNorm) AgentLog.DeltaClipped(logger, task.JobId, task.Round, norm, task.Fit.ClippingNorm);
        }

        var header = new UpdateHeader
        {
            JobId = task.JobId,
            Round = task.Round,
            BaseModelSha256 = task.ModelSha256,
            Kind = UpdateKind.Delta,
            NumExamples = update.NumExamples,
        };
        foreach (var (k, v) in update.Metrics) header.Metrics[k] = v;
        var response = await UploadAsync(header, payload, session, ct, encoding).ConfigureAwait(false);
        // cᵢ moves on only once the coordinator holds the control delta that moved it.
        if (nextControl is not null && (response.Accepted || response.Duplicate))
            controls.Commit(task.JobId, task.Round, scaffold!.Client, nextControl);
        var outcome = response.Duplicate ? "already accepted" : response.Accepted ? "accepted" : "not accepted";
        AgentLog.FitUploaded(logger, task.JobId, task.Round, strategyName.Length > 0 ? strategyName : "fedavg",
            update.Steps, update.NumExamples, trainMs, update.TrainLoss, outcome);
    }

    // SCAFFOLD: the server's c (downloaded by hash like a global model) and this node's cᵢ for the job.
    private async Task<ScaffoldControls> ScaffoldControlsAsync(NodeTask task, TrainingSettings settings, ModelParameters global,
        NodeSession session, CancellationToken ct)
    {
        if (settings.Optimizer != OptimizerKind.Sgd)
            throw new ArgumentException($"SCAFFOLD's control variates assume local SGD, but the job's optimizer is {settings.Optimizer}.");
        if (string.IsNullOrEmpty(task.Fit.ServerControlSha256))
            throw new ArgumentException("The SCAFFOLD fit task names no server control variate (server_control_sha256 is empty).");
        var server = await models.GetAsync(task.JobId, task.Fit.ServerControlSha256, session, ct).ConfigureAwait(false);
        Scaffold.CheckLayout(server, global, "server control variate");
        return new ScaffoldControls(server, controls.Get(task.JobId, task.Round, global));
    }

    private async Task EvaluateAsync(NodeTask task, LocalDataset data, NodeSession session, CancellationToken ct)
    {
        // model_sha256 names the model to evaluate: the round's global model, or in cross-site validation the final
        // global model or a region's local model; all download alike.
        var model = await models.GetAsync(task.JobId, task.ModelSha256, session, ct).ConfigureAwait(false);
        var splits = task.Evaluate.Splits.Count > 0 ? task.Evaluate.Splits.Distinct().ToList() : ["test"];
        var label = task.Evaluate.ModelLabel;
        var results = new List<Evaluation>(splits.Count);
        foreach (var split in splits)
        {
            var result = evaluator.Evaluate(data, task.Model ?? new ModelSpec(), model, split);
            results.Add(result);
            AgentLog.Evaluated(logger, task.JobId, task.Round, label.Length > 0 ? label : "round model", result.Split,
                result.Loss, result.Accuracy, result.Auc ?? double.NaN, result.NumExamples);
        }
        var request = EvaluationReport.Build(task, _region, results);
        await _calls.ReportMetricsAsync(request, session.Headers, ct).ConfigureAwait(false);
    }

    // In the job's update encoding, checked by XXH3-128: an update is not a version id.
    private Task<UploadUpdateResponse> UploadAsync(UpdateHeader header, ModelParameters model, NodeSession session, CancellationToken ct,
        DType encoding = DType.Float32) =>
        _calls.UploadAsync(header, model, session.Headers, ct, encoding, PayloadHash.Xxh3);

    private sealed record ScaffoldControls(ModelParameters Server, ModelParameters Client);
}
