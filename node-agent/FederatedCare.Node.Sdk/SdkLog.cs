using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Node.Sdk;

/// <summary>Log messages of the node SDK, with the event ids the node agent always logged them with.</summary>
internal static partial class SdkLog
{
    [LoggerMessage(1, LogLevel.Information, "Registered with {Coordinator} as node {NodeId} (device {Device}, datasets {Datasets})")]
    public static partial void Registered(ILogger logger, string coordinator, string nodeId, string device, string datasets);

    [LoggerMessage(2, LogLevel.Warning, "Coordinator {Coordinator} unreachable or stream broken ({Status}: {Detail}); retrying in {DelayMs} ms")]
    public static partial void ConnectionLost(ILogger logger, string coordinator, StatusCode status, string detail, long delayMs);

    [LoggerMessage(3, LogLevel.Information, "The coordinator closed the task stream; reconnecting in {DelayMs} ms")]
    public static partial void StreamEnded(ILogger logger, long delayMs);

    [LoggerMessage(17, LogLevel.Error, "Registration refused: {Detail}; standing by, trying again in {DelayMs} ms")]
    public static partial void RegionTaken(ILogger logger, string detail, long delayMs);

    [LoggerMessage(18, LogLevel.Information, "Renewed TLS credentials: the task stream ends and the agent registers again with them")]
    public static partial void RenewalPending(ILogger logger);

    [LoggerMessage(19, LogLevel.Information, "Connecting to {Coordinator} with the renewed TLS credentials")]
    public static partial void Renewed(ILogger logger, string coordinator);

    [LoggerMessage(10, LogLevel.Debug, "Job {JobId}: model {Sha} downloaded ({Bytes} bytes)")]
    public static partial void ModelDownloaded(ILogger logger, string jobId, string sha, long bytes);

    [LoggerMessage(12, LogLevel.Error, "Unexpected error in the agent loop; reconnecting in {DelayMs} ms")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, long delayMs);

    [LoggerMessage(13, LogLevel.Warning, "Heartbeat failed ({Status}: {Detail}); trying again at the next interval")]
    public static partial void HeartbeatFailed(ILogger logger, StatusCode status, string detail);

    [LoggerMessage(14, LogLevel.Warning, "The coordinator no longer knows node {NodeId}; registering again")]
    public static partial void Forgotten(ILogger logger, string nodeId);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId}: initial model {ModelName} from seed {Seed} uploaded ({Sha})")]
    public static partial void InitialUploaded(ILogger logger, string jobId, string modelName, long seed, string sha);

    [LoggerMessage(5, LogLevel.Information, "Job {JobId} round {Round}: trained {Steps} steps ({Strategy}) on {Rows} rows in {Ms} ms, train_loss {TrainLoss:F4}; update {Outcome}")]
    public static partial void FitUploaded(ILogger logger, string jobId, int round, string strategy, long steps, long rows, long ms, double trainLoss, string outcome);

    [LoggerMessage(6, LogLevel.Information, "Job {JobId} round {Round}: {ModelLabel} {Split} loss {Loss:F4}, accuracy {Accuracy:F4}, AUC {Auc:F4} on {Rows} rows")]
    public static partial void Evaluated(ILogger logger, string jobId, int round, string modelLabel, string split, double loss, double accuracy, double auc, long rows);

    [LoggerMessage(7, LogLevel.Warning, "Job {JobId} round {Round}: {Kind} task failed at the coordinator ({Status}: {Detail}); continuing")]
    public static partial void TaskRpcFailed(ILogger logger, string jobId, int round, string kind, StatusCode status, string detail);

    [LoggerMessage(8, LogLevel.Error, "Job {JobId} round {Round}: {Kind} task cannot run here: {Reason}")]
    public static partial void TaskRejected(ILogger logger, string jobId, int round, string kind, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Job {JobId} round {Round}: {Kind} task arrived after its deadline; skipped")]
    public static partial void TaskExpired(ILogger logger, string jobId, int round, string kind);

    [LoggerMessage(33, LogLevel.Warning, "Job {JobId} round {Round}: upload failed ({Status}); sending it again (attempt {Attempt}) in {DelayMs} ms")]
    public static partial void UploadRetried(ILogger logger, string jobId, int round, StatusCode status, int attempt, long delayMs);

    [LoggerMessage(31, LogLevel.Warning, "Job {JobId} ended at the coordinator ({Reason}): its task in progress is stopped and its queued tasks dropped")]
    public static partial void JobCancelled(ILogger logger, string jobId, string reason);

    [LoggerMessage(32, LogLevel.Information, "Job {JobId} round {Round}: {Kind} task stopped (the job was cancelled)")]
    public static partial void TaskCancelled(ILogger logger, string jobId, int round, string kind);

    [LoggerMessage(30, LogLevel.Warning, "This agent's clock is {AheadSeconds:F1} s ahead of the coordinator's (negative: behind); task deadlines are judged on the coordinator's clock")]
    public static partial void ClockOffset(ILogger logger, double aheadSeconds);

    [LoggerMessage(15, LogLevel.Information, "Job {JobId} round {Round}: delta clipped from L2 norm {Norm:G6} to {ClippingNorm} (differential privacy)")]
    public static partial void DeltaClipped(ILogger logger, string jobId, int round, double norm, double clippingNorm);

    [LoggerMessage(16, LogLevel.Information, "Job {JobId} round {Round}: analysis {Kind} {Outcome}")]
    public static partial void AnalysisReported(ILogger logger, string jobId, int round, string kind, string outcome);
}
