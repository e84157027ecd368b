using Microsoft.Extensions.Logging;

namespace FederatedCare.NodeAgent.Agent;

/// <summary>The agent's log messages (source-generated: no formatting cost when a level is off).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(11, LogLevel.Information, "Node agent for region {Region} stopping")]
    public static partial void Stopping(ILogger logger, string region);

    [LoggerMessage(40, LogLevel.Information, "Job {JobId}: statistics reported ({TrainRows} training rows, {Columns} column sums)")]
    public static partial void StatisticsReported(ILogger logger, string jobId, long trainRows, int columns);

    [LoggerMessage(41, LogLevel.Warning, "Job {JobId}: this region does not join: {Reason}")]
    public static partial void JobRefused(ILogger logger, string jobId, string reason);

    [LoggerMessage(43, LogLevel.Information,
        "TLS files reloaded: connecting as {Subject} (serial {Serial}, until {NotAfter:O}) from the next connection on")]
    public static partial void TlsReloaded(ILogger logger, string subject, string serial, DateTimeOffset notAfter);

    [LoggerMessage(44, LogLevel.Warning, "TLS files changed but cannot be used; the previous ones stay in use until they change again: {Reason}")]
    public static partial void TlsReloadFailed(ILogger logger, string reason);

    [LoggerMessage(42, LogLevel.Critical, "Stopping: {Reason} Stop the other agent or give this one another region.")]
    public static partial void Replaced(ILogger logger, string reason);
}
