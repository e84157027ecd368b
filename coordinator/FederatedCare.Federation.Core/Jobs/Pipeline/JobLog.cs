using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>Structured log events of the job engine (JobId, Round, Region as properties).</summary>
internal static partial class JobLog
{
    [LoggerMessage(1, LogLevel.Information, "Job {JobId} started: {Rounds} rounds of {Strategy} on {Dataset}")]
    public static partial void JobStarted(ILogger logger, string jobId, int rounds, string strategy, string dataset);

    [LoggerMessage(2, LogLevel.Information, "Job {JobId} {Waiting}")]
    public static partial void Waiting(ILogger logger, string jobId, string waiting);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} round {Round} ({Phase}) sent to {Regions}, deadline {Deadline:O}")]
    public static partial void RoundOpened(ILogger logger, string jobId, int round, RoundPhase phase, string regions, DateTimeOffset deadline);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} round {Round}: global model {Sha256} from {Participants} ({NumExamples} examples)")]
    public static partial void RoundStored(ILogger logger, string jobId, int round, string sha256, string participants, long numExamples);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId} round {Round} ({Phase}) attempt {Attempt}: no answer from {Missing}")]
    public static partial void Missing(ILogger logger, string jobId, int round, RoundPhase phase, int attempt, string missing);

    [LoggerMessage(6, LogLevel.Information,
        "Job {JobId} round {Round} evaluated by {Regions}: {Split} loss {Loss:0.0000} accuracy {Accuracy:0.0000} AUC {Auc:0.0000}")]
    public static partial void Evaluated(ILogger logger, string jobId, int round, string regions, string split, double loss, double accuracy, double? auc);

    [LoggerMessage(9, LogLevel.Information, "Job {JobId} cross-site validation: {Cells} cells from {Regions} regions x {Models} models")]
    public static partial void CrossSiteDone(ILogger logger, string jobId, int cells, int regions, int models);

    [LoggerMessage(10, LogLevel.Information,
        "Job {JobId}: differential privacy, clipping norm {ClippingNorm} ({Clipping} clipping), noise multiplier {NoiseMultiplier}, delta {Delta}")]
    public static partial void PrivacyOn(ILogger logger, string jobId, double clippingNorm, string clipping, double noiseMultiplier, double delta);

    [LoggerMessage(11, LogLevel.Information,
        "Job {JobId} round {Round}: epsilon {Epsilon:0.####} at delta {Delta} (RDP order {Order}; q {SamplingRate:0.####}, noise std {NoiseStdDev:G4} on the mean of {Updates} clipped updates)")]
    public static partial void PrivacySpent(ILogger logger, string jobId, int round, double epsilon, double delta, int order, double samplingRate,
        double noiseStdDev, int updates);

    [LoggerMessage(20, LogLevel.Information, "Job {JobId} started: analyses {Analyses} on {Dataset}")]
    public static partial void AnalysisStarted(ILogger logger, string jobId, string analyses, string dataset);

    [LoggerMessage(21, LogLevel.Information, "Job {JobId} analysis {Step} ({Kind}): {Summary}")]
    public static partial void AnalysisDone(ILogger logger, string jobId, int step, string kind, string summary);

    [LoggerMessage(40, LogLevel.Warning, "Job {JobId}: region out of the job: {Reason}")]
    public static partial void RegionOut(ILogger logger, string jobId, string reason);

    [LoggerMessage(42, LogLevel.Information, "Job {JobId}: {Waiting}")]
    public static partial void WaitingForApproval(ILogger logger, string jobId, string waiting);

    [LoggerMessage(41, LogLevel.Information, "Job {JobId}: {Summary}")]
    public static partial void Joined(ILogger logger, string jobId, string summary);
}
