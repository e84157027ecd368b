namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Structured log events of the Federation service. Source-generated logging escapes nothing: every caller-given value
/// passed here is bounded and free of control characters (<see cref="RequestBounds"/>) or made so (<see cref="LogText"/>).
/// </summary>
internal static partial class FederationLog
{
    [LoggerMessage(101, LogLevel.Information, "Node {NodeId} registered for region {Region} ({Device}, agent {AgentVersion})")]
    public static partial void Registered(ILogger logger, string nodeId, string region, string device, string agentVersion);

    [LoggerMessage(102, LogLevel.Information, "Region {Region} task stream {Change}")]
    public static partial void Stream(ILogger logger, string region, string change);

    [LoggerMessage(103, LogLevel.Information, "Job {JobId} round {Round}: update from {Region} accepted ({NumExamples} examples{Duplicate})")]
    public static partial void UpdateAccepted(ILogger logger, string jobId, int round, string region, long numExamples, string duplicate);

    [LoggerMessage(120, LogLevel.Warning, "Job {JobId} round {Round}: {Region} refused its task: {Reason}")]
    public static partial void TaskRefused(ILogger logger, string jobId, int round, string region, string reason);

    [LoggerMessage(104, LogLevel.Warning, "Job {JobId} round {Round}: {What} from {Region} rejected ({Code}): {Reason}")]
    public static partial void Rejected(ILogger logger, string jobId, int round, string region, string what, string code, string reason);

    [LoggerMessage(122, LogLevel.Warning, "{Count} further refusals from {Caller} were neither logged nor audited (more than {Burst} at once, {PerMinute} a minute after)")]
    public static partial void RefusalsSuppressed(ILogger logger, long count, string caller, int burst, double perMinute);

    [LoggerMessage(107, LogLevel.Warning, "Registration for region {Region} refused ({Code}): {Reason}")]
    public static partial void RegistrationRefused(ILogger logger, string region, string code, string reason);

    [LoggerMessage(105, LogLevel.Information, "Job {JobId} round {Round}: metrics{Model} from {Region} accepted ({Splits})")]
    public static partial void MetricsAccepted(ILogger logger, string jobId, int round, string region, string splits, string model);
}
