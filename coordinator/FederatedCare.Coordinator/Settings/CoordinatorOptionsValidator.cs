using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Settings;

/// <summary>
/// Checks <see cref="CoordinatorOptions"/> at start and names every wrong setting by its configuration key, like the
/// node agent's validator: a coordinator with a bad setting stops before it listens instead of failing mid-job. The TLS
/// files are checked when they are loaded (<see cref="Security.TlsCredentials"/>), unknown keys by the binder.
/// </summary>
public sealed class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options)
    {
        const string s = CoordinatorOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            errors.Add($"{s}:DataDirectory must name a folder (e.g. --{s}:DataDirectory=./coordinator-data).");
        Positive(errors, $"{s}:HeartbeatSeconds", options.HeartbeatSeconds);
        if (!(options.NodeTimeoutSeconds >= 0))
            errors.Add($"{s}:NodeTimeoutSeconds must be 0 (three heartbeat intervals) or positive (was {options.NodeTimeoutSeconds}).");
        else if (options.NodeTimeoutSeconds > 0 && options.NodeTimeoutSeconds <= options.HeartbeatSeconds)
            errors.Add($"{s}:NodeTimeoutSeconds ({options.NodeTimeoutSeconds}) must be longer than {s}:HeartbeatSeconds ({options.HeartbeatSeconds}).");
        Positive(errors, $"{s}:DefaultRoundDeadlineSeconds", options.DefaultRoundDeadlineSeconds);
        Positive(errors, $"{s}:ApprovalPollSeconds", options.ApprovalPollSeconds);
        if (options.EvaluationSplits.Length == 0 || options.EvaluationSplits.Any(string.IsNullOrWhiteSpace))
            errors.Add($"{s}:EvaluationSplits must list at least one split name, none empty (e.g. test).");
        // Kestrel's own bounds for an HTTP/2 window: 64 KiB - 1 (the protocol's initial window) to 2^31 - 1.
        if (options.Http2WindowBytes < 65_535)
            errors.Add($"{s}:Http2WindowBytes must be at least 65535 (was {options.Http2WindowBytes}).");
        if (options.Http2MaxStreamsPerConnection < 4)
            errors.Add($"{s}:Http2MaxStreamsPerConnection must be at least 4, a node's concurrent calls (was {options.Http2MaxStreamsPerConnection}).");
        ValidateAggregation(options, errors);
        ValidateLimits(options, errors);
        ValidateTls(options.Tls, errors);
        Web.WebEndpoints.Validate(options.Web, options.Tls.IsConfigured, errors);
        if (options.Retention.KeepLastRounds < 0)
            errors.Add($"{s}:Retention:KeepLastRounds must be 0 (keep every round's models) or positive (was {options.Retention.KeepLastRounds}).");
        if (options.Retention.KeepEveryRounds < 0)
            errors.Add($"{s}:Retention:KeepEveryRounds must be 0 (none) or positive (was {options.Retention.KeepEveryRounds}).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateAggregation(CoordinatorOptions options, List<string> errors)
    {
        const string a = CoordinatorOptions.SectionName + ":Aggregation";
        var aggregation = options.Aggregation;
        if (aggregation.BufferedBytesBudget < 0)
            errors.Add($"{a}:BufferedBytesBudget must not be negative (was {aggregation.BufferedBytesBudget}).");
        if (aggregation.UploadBufferBytes < 1)
            errors.Add($"{a}:UploadBufferBytes must be positive (was {aggregation.UploadBufferBytes}).");
        if (!double.IsFinite(aggregation.UploadBufferWaitSeconds) || aggregation.UploadBufferWaitSeconds < 0 || aggregation.UploadBufferWaitSeconds > 86_400)
            errors.Add($"{a}:UploadBufferWaitSeconds must be between 0 and 86400 seconds (was {aggregation.UploadBufferWaitSeconds}).");
        if (aggregation.MaxModelBytes < 1)
            errors.Add($"{a}:MaxModelBytes must be positive (was {aggregation.MaxModelBytes}).");
    }

    private static void ValidateLimits(CoordinatorOptions options, List<string> errors)
    {
        if (options.Limits.MaxConcurrentUploads < 1)
            errors.Add($"{CoordinatorOptions.SectionName}:Limits:MaxConcurrentUploads must be at least 1 (was {options.Limits.MaxConcurrentUploads}).");
        if (!(options.Limits.UploadIdleSeconds > 0) || double.IsInfinity(options.Limits.UploadIdleSeconds))
            errors.Add($"{CoordinatorOptions.SectionName}:Limits:UploadIdleSeconds must be a positive number of seconds (was {options.Limits.UploadIdleSeconds}).");
        if (!(options.Limits.UploadDeadlineSeconds > 0) || double.IsInfinity(options.Limits.UploadDeadlineSeconds))
            errors.Add($"{CoordinatorOptions.SectionName}:Limits:UploadDeadlineSeconds must be a positive number of seconds (was {options.Limits.UploadDeadlineSeconds}).");
        // Both run as timers, whose due time cannot exceed about 49 days.
        foreach (var (key, seconds) in new[] { ("UploadIdleSeconds", options.Limits.UploadIdleSeconds), ("UploadDeadlineSeconds", options.Limits.UploadDeadlineSeconds) })
            if (seconds > MaxTimerSeconds)
                errors.Add($"{CoordinatorOptions.SectionName}:Limits:{key} must be at most {MaxTimerSeconds} seconds (30 days; was {seconds}).");
        if (!(options.Limits.ForgetUnseenNodesHours >= 0) || double.IsInfinity(options.Limits.ForgetUnseenNodesHours))
            errors.Add($"{CoordinatorOptions.SectionName}:Limits:ForgetUnseenNodesHours must be 0 (never) or a positive number of hours (was {options.Limits.ForgetUnseenNodesHours}).");
        const string l = CoordinatorOptions.SectionName + ":Limits";
        var limits = options.Limits;
        if (limits.MaxNodes < 1) errors.Add($"{l}:MaxNodes must be at least 1 (was {limits.MaxNodes}).");
        if (limits.RefusalAuditBurst < 1) errors.Add($"{l}:RefusalAuditBurst must be at least 1 (was {limits.RefusalAuditBurst}).");
        if (!(limits.RefusalAuditPerMinute >= 0) || double.IsInfinity(limits.RefusalAuditPerMinute))
            errors.Add($"{l}:RefusalAuditPerMinute must be 0 or a positive number (was {limits.RefusalAuditPerMinute}).");
        if (limits.AuditDetailChars < 80) errors.Add($"{l}:AuditDetailChars must be at least 80 (was {limits.AuditDetailChars}).");
    }

    private static void ValidateTls(Security.TlsOptions tls, List<string> errors)
    {
        const string t = Security.TlsOptions.SectionName;
        Positive(errors, $"{t}:ReloadSeconds", tls.ReloadSeconds);
        if (tls.ExpiryWarningDays < 0)
            errors.Add($"{t}:ExpiryWarningDays must be 0 (no warnings) or a positive number of days (was {tls.ExpiryWarningDays}).");
        if (!string.IsNullOrWhiteSpace(tls.RevocationList) && !tls.IsConfigured)
            errors.Add($"{t}:RevocationList needs mutual TLS: set {t}:CertificatePath, KeyPath and ClientCaPath too.");
    }

    private const double MaxTimerSeconds = 30 * 24 * 3600;

    private static void Positive(List<string> errors, string key, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) errors.Add($"{key} must be a positive number of seconds (was {value}).");
    }
}
