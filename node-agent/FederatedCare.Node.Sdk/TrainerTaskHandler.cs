using FederatedCare.Node.Sdk.FitMods;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// Runs each <see cref="NodeTask"/> with an <see cref="INodeTrainer"/>: initialize (upload the seeded initial model),
/// fit (download the global model, train inside the fit mods — SCAFFOLD state, DP clipping — upload the payload in the
/// job's encoding, then let the mods act on the answer), evaluate (download the named model, report the trainer's
/// metrics with the task's model label), statistics (report the trainer's aggregates or refusal), analysis (report
/// the analyst's answer or refusal; a node without an analyst refuses); pings are ignored,
/// a task past its deadline is skipped. A task that fails — the coordinator refuses it, the trainer rejects it,
/// libtorch refuses an operation — is logged and dropped; only cancellation and Unauthenticated (the coordinator no
/// longer knows this node: register again) propagate.
/// </summary>
/// <param name="calls">The Federation calls.</param>
/// <param name="models">Global models by hash (cached).</param>
/// <param name="trainer">The region's trainer.</param>
/// <param name="mods">Fit mods, the first outermost: <see cref="ClippingFitMod"/> then <see cref="ScaffoldFitMod"/>.</param>
/// <param name="time">Task deadlines and training time.</param>
/// <param name="logger">One line per task.</param>
/// <param name="analyst">The region's analyses (analysis jobs); null: analysis tasks are refused.</param>
/// <param name="releases">Told of each update, statistics, metrics and analysis report just before it is sent (the
/// region's audit log); when it cannot record one (<see cref="IOException"/>) the task is dropped and nothing is sent.</param>
/// <param name="admission">
/// The region's gate (its policy): asked before the statistics task reads any data — a refused or pending job is
/// reported as such — and before every later task, which is dropped when refused. Null: every job is admitted.
/// </param>
public sealed class TrainerTaskHandler(
    FederationCalls calls,
    IModelSource models,
    INodeTrainer trainer,
    IReadOnlyList<IFitMod> mods,
    TimeProvider time,
    ILogger<TrainerTaskHandler> logger,
    INodeAnalyst? analyst = null,
    IReleaseObserver? releases = null,
    IJobAdmission? admission = null) : INodeTaskHandler
{
    /// <inheritdoc />
    /// <exception cref="OperationCanceledException">The node is stopping.</exception>
    public async Task HandleAsync(NodeTask task, NodeSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(session);
        if (task.KindCase is NodeTask.KindOneofCase.Ping or NodeTask.KindOneofCase.None) return;
        var kind = task.KindCase.ToString().ToLowerInvariant();
        // The deadline is on the coordinator's clock: a region whose own clock is off must not skip its tasks.
        if (task.DeadlineUnixMs > 0 && session.CoordinatorNow(time).ToUnixTimeMilliseconds() > task.DeadlineUnixMs)
        {
            SdkLog.TaskExpired(logger, task.JobId, task.Round, kind);
            return;
        }
        try
        {
            if (task.KindCase != NodeTask.KindOneofCase.Statistics && admission?.Check(task) is { } refusal)
                throw new NodeTaskRejectedException($"refused by this region's policy: {refusal}");
            var work = task.KindCase switch
            {
                NodeTask.KindOneofCase.Statistics => ReportStatisticsAsync(task, session, cancellationToken),
                NodeTask.KindOneofCase.Initialize => InitializeAsync(task, session, cancellationToken),
                NodeTask.KindOneofCase.Fit => FitAsync(task, session, cancellationToken),
                NodeTask.KindOneofCase.Evaluate => EvaluateAsync(task, session, cancellationToken),
                NodeTask.KindOneofCase.Analysis => ReportAnalysisAsync(task, session, cancellationToken),
                _ => Task.CompletedTask,
            };
            await work.ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && e.StatusCode != StatusCode.Unauthenticated)
        {
            SdkLog.TaskRpcFailed(logger, task.JobId, task.Round, kind, e.StatusCode, e.Status.Detail);
        }
        catch (IOException e)
        {
            // The release could not be recorded (IReleaseObserver), so nothing was sent, a refusal included: the
            // region's audit log must hold everything that left.
            SdkLog.TaskRejected(logger, task.JobId, task.Round, kind, e.Message);
        }
        catch (Exception e) when (e is NodeTaskRejectedException or ArgumentException or InvalidDataException)
        {
            SdkLog.TaskRejected(logger, task.JobId, task.Round, kind, e.Message);
            await RefuseAsync(task, session, (e as NodeTaskRejectedException)?.ReasonForCoordinator ?? e.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // libtorch refused an operation (e.g. a model whose values are out of range): this task fails, the
            // connection and the node's other work do not.
            var reason = $"libtorch: {e.Message.Split('\n')[0]}";
            SdkLog.TaskRejected(logger, task.JobId, task.Round, kind, reason);
            await RefuseAsync(task, session, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    // The round must not wait for a task this node will never answer: the coordinator counts the refusal at once.
    // Statistics and analysis tasks refuse in their own answer; a refusal that cannot be delivered is only logged.
    private async Task RefuseAsync(NodeTask task, NodeSession session, string reason, CancellationToken ct)
    {
        if (task.KindCase is not (NodeTask.KindOneofCase.Initialize or NodeTask.KindOneofCase.Fit or NodeTask.KindOneofCase.Evaluate)) return;
        var request = new ReportRefusalRequest
        {
            JobId = task.JobId,
            Round = task.Round,
            ModelLabel = task.Evaluate?.ModelLabel ?? "",
            Reason = WireLimits.Refusal(reason),
        };
        try
        {
            releases?.RefusalReleased(task, request);
            await calls.ReportRefusalAsync(request, session.Headers, ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested && e.StatusCode != StatusCode.Unauthenticated)
        {
            SdkLog.TaskRpcFailed(logger, task.JobId, task.Round, "refusal", e.StatusCode, e.Status.Detail);
        }
        catch (IOException e)
        {
            SdkLog.TaskRejected(logger, task.JobId, task.Round, "refusal", e.Message);
        }
    }

    private async Task ReportStatisticsAsync(NodeTask task, NodeSession session, CancellationToken ct)
    {
        var request = new ReportStatisticsRequest { JobId = task.JobId };
        // The gate comes before the data: a job the region's policy refuses or still holds reads no row.
        var admitted = admission?.Admit(task) ?? JobAdmission.Admitted;
        if (admitted.Outcome == JobAdmissionOutcome.Refused) request.Refusal = admitted.Reason ?? "refused by this region's policy";
        else if (admitted.Outcome == JobAdmissionOutcome.Pending) request.Pending = admitted.Reason ?? "waiting for approval";
        else
        {
            var answer = !task.Statistics.Analysis ? trainer.Statistics(task)
                : analyst?.Statistics(task) ?? new StatisticsAnswer(null, "this node runs no analyses");
            if (answer.Statistics is { } statistics) request.Statistics = statistics;
            else request.Refusal = WireLimits.Refusal(answer.Refusal);
        }
        releases?.StatisticsReleased(task, request);
        await calls.ReportStatisticsAsync(request, session.Headers, ct).ConfigureAwait(false);
    }

    private async Task ReportAnalysisAsync(NodeTask task, NodeSession session, CancellationToken ct)
    {
        var outcome = analyst?.Analyze(task) ?? new AnalysisOutcome(null, "this node runs no analyses");
        var request = new ReportAnalysisRequest { JobId = task.JobId, Round = task.Round };
        if (outcome.Answer is { } answer) request.Answer = answer;
        else request.Refusal = WireLimits.Refusal(outcome.Refusal);
        releases?.AnalysisReleased(task, request);
        await calls.ReportAnalysisAsync(request, session.Headers, ct).ConfigureAwait(false);
        SdkLog.AnalysisReported(logger, task.JobId, task.Round, task.Analysis.KindCase.ToString(), outcome.Answer is null ? $"refused: {outcome.Refusal}" : "answered");
    }

    private async Task InitializeAsync(NodeTask task, NodeSession session, CancellationToken ct)
    {
        var initial = trainer.Initialize(task);
        var header = new UpdateHeader
        {
            JobId = task.JobId,
            Round = 0,
            Kind = UpdateKind.InitialModel,
            NumExamples = initial.NumExamples,
        };
        releases?.UpdateReleased(task, header, initial.Model, DType.Float32);
        await UploadAsync(header, initial.Model, session, ct, deadlineUnixMs: task.DeadlineUnixMs).ConfigureAwait(false);
        SdkLog.InitialUploaded(logger, task.JobId, task.Model?.Name ?? "", task.Seed, initial.Model.ComputeSha256());
    }

    private async Task FitAsync(NodeTask task, NodeSession session, CancellationToken ct)
    {
        var global = await models.GetAsync(task.JobId, task.ModelSha256, session, ct).ConfigureAwait(false);
        var context = new FitContext(task, session, global);
        var outcome = await FitPipeline.RunAsync(mods, context, Train, ct).ConfigureAwait(false);
        var result = outcome.Result;
        var header = new UpdateHeader
        {
            JobId = task.JobId,
            Round = task.Round,
            BaseModelSha256 = task.ModelSha256,
            Kind = UpdateKind.Delta,
            NumExamples = result.NumExamples,
        };
        foreach (var (k, v) in result.Metrics) header.Metrics[k] = v;
        var encoding = UpdateEncoding.DTypeOf(task.Fit.UpdateEncoding);
        releases?.UpdateReleased(task, header, outcome.Payload, encoding);
        var response = await UploadAsync(header, outcome.Payload, session, ct, encoding, task.DeadlineUnixMs).ConfigureAwait(false);
        foreach (var onUploaded in outcome.OnUploaded) onUploaded(response);
        var said = response.Duplicate ? "already accepted" : response.Accepted ? "accepted" : "not accepted";
        SdkLog.FitUploaded(logger, task.JobId, task.Round, context.StrategyName.Length > 0 ? context.StrategyName : "fedavg",
            result.Steps, result.NumExamples, outcome.TrainMilliseconds, result.TrainLoss, said);
    }

    private Task<FitOutcome> Train(FitContext context, CancellationToken ct)
    {
        long start = time.GetTimestamp();
        var result = trainer.Fit(new FitRequest(context.Task, context.Global, context.GradientCorrection), ct);
        return Task.FromResult(new FitOutcome(result, (long)time.GetElapsedTime(start).TotalMilliseconds));
    }

    private async Task EvaluateAsync(NodeTask task, NodeSession session, CancellationToken ct)
    {
        // model_sha256 names the model to evaluate: the round's global model, or in cross-site validation the final
        // global model or a region's local model; all download alike.
        var model = await models.GetAsync(task.JobId, task.ModelSha256, session, ct).ConfigureAwait(false);
        List<string> splits = task.Evaluate.Splits.Count > 0 ? task.Evaluate.Splits.Distinct().ToList() : [WireNames.Splits.Test];
        var label = task.Evaluate.ModelLabel;
        var request = new ReportMetricsRequest { JobId = task.JobId, Round = task.Round, ModelLabel = label ?? "" };
        foreach (var metrics in trainer.Evaluate(task, model, splits))
        {
            request.Metrics.Add(metrics);
            SdkLog.Evaluated(logger, task.JobId, task.Round, label is { Length: > 0 } ? label : "round model", metrics.Split,
                metrics.Loss, metrics.Accuracy, metrics.Extra.TryGetValue(WireNames.Metrics.Auc, out var auc) ? auc : double.NaN, metrics.NumExamples);
        }
        releases?.MetricsReleased(task, request);
        await calls.ReportMetricsAsync(request, session.Headers, ct).ConfigureAwait(false);
    }

    // In the job's update encoding, checked by XXH3-128: an update is not a version id. An upload cut off on the way
    // (the connection broke, the coordinator was briefly unreachable) is sent again, the same bytes, after 1, 2 and 4 s,
    // while the round's deadline allows: the coordinator counts a byte-identical retry once.
    private async Task<UploadUpdateResponse> UploadAsync(UpdateHeader header, ModelParameters model, NodeSession session, CancellationToken ct,
        DType encoding = DType.Float32, long deadlineUnixMs = 0)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await calls.UploadAsync(header, model, session.Headers, ct, encoding, PayloadHash.Xxh3).ConfigureAwait(false);
            }
            catch (RpcException e) when (!ct.IsCancellationRequested && attempt < UploadRetries && IsTransient(e.StatusCode)
                && (deadlineUnixMs <= 0 || session.CoordinatorNow(time).ToUnixTimeMilliseconds() + RetryDelay(attempt).TotalMilliseconds < deadlineUnixMs))
            {
                SdkLog.UploadRetried(logger, header.JobId, header.Round, e.StatusCode, attempt + 1, (long)RetryDelay(attempt).TotalMilliseconds);
                await Task.Delay(RetryDelay(attempt), time, ct).ConfigureAwait(false);
            }
        }
    }

    private const int UploadRetries = 3;

    private static TimeSpan RetryDelay(int attempt) => TimeSpan.FromSeconds(1 << attempt);

    // Failures of the transport or of an overloaded coordinator; a refusal of the update itself is final.
    private static bool IsTransient(StatusCode code) => code is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown
        or StatusCode.ResourceExhausted or StatusCode.Aborted;
}
