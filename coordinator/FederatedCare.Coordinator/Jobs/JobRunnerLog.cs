namespace FederatedCare.Coordinator.Jobs;

/// <summary>Structured log events of the job runner (JobId, Round, Region as properties).</summary>
internal static partial class JobRunnerLog
{
    [LoggerMessage(7, LogLevel.Information, "Job {JobId} ended {State}: {Message}")]
    public static partial void JobEnded(ILogger logger, string jobId, string state, string message);

    [LoggerMessage(8, LogLevel.Error, "Job {JobId} failed unexpectedly")]
    public static partial void JobCrashed(ILogger logger, Exception exception, string jobId);
}
