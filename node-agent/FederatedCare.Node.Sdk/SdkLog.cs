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

    [LoggerMessage(10, LogLevel.Debug, "Job {JobId}: model {Sha} downloaded ({Bytes} bytes)")]
    public static partial void ModelDownloaded(ILogger logger, string jobId, string sha, long bytes);

    [LoggerMessage(12, LogLevel.Error, "Unexpected error in the agent loop; reconnecting in {DelayMs} ms")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, long delayMs);

    [LoggerMessage(13, LogLevel.Warning, "Heartbeat failed ({Status}: {Detail}); trying again at the next interval")]
    public static partial void HeartbeatFailed(ILogger logger, StatusCode status, string detail);

    [LoggerMessage(14, LogLevel.Warning, "The coordinator no longer knows node {NodeId}; registering again")]
    public static partial void Forgotten(ILogger logger, string nodeId);
}
