using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>The agent's log messages (source-generated: no formatting cost when a level is off).</summary>
internal static partial class AgentLog
{
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

    [LoggerMessage(11, LogLevel.Information, "Node agent for region {Region} stopping")]
    public static partial void Stopping(ILogger logger, string region);

    [LoggerMessage(15, LogLevel.Information, "Job {JobId} round {Round}: delta clipped from L2 norm {Norm:G6} to {ClippingNorm} (differential privacy)")]
    public static partial void DeltaClipped(ILogger logger, string jobId, int round, double norm, double clippingNorm);

    [LoggerMessage(40, LogLevel.Information, "Job {JobId}: statistics reported ({TrainRows} training rows, {Columns} column sums)")]
    public static partial void StatisticsReported(ILogger logger, string jobId, long trainRows, int columns);

    [LoggerMessage(41, LogLevel.Warning, "Job {JobId}: this region does not join: {Reason}")]
    public static partial void JobRefused(ILogger logger, string jobId, string reason);

    [LoggerMessage(42, LogLevel.Critical, "Stopping: {Reason} Stop the other agent or give this one another region.")]
    public static partial void Replaced(ILogger logger, string reason);
}
