using FederatedCare.Federation.Core.Jobs;
using System.Globalization;
using System.Text.RegularExpressions;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>Checks a job spec at StartJob so a bad spec fails at once with a message naming the field.</summary>
internal static partial class JobSpecValidator
{
    /// <summary>The longest <c>spec.wait_for_clients_seconds</c>: 7 days, in seconds.</summary>
    public const double MaxWaitForClientsSeconds = 7 * 24 * 3600;

    /// <summary>Null when valid, else the first problem, naming the field (e.g. "spec.rounds must be ≥ 1, got 0.").</summary>
    public static string? Validate(JobSpec? spec, StrategyRegistry strategies)
    {
        if (spec is null) return "spec is required.";
        if (string.IsNullOrWhiteSpace(spec.Dataset)) return "spec.dataset is required.";
        if (!(double.IsFinite(spec.ApprovalWaitSeconds) && spec.ApprovalWaitSeconds >= 0))
            return "spec.approval_wait_seconds must be a finite number >= 0 (0: 24 hours).";
        if (!(double.IsFinite(spec.WaitForClientsSeconds) && spec.WaitForClientsSeconds >= 0 && spec.WaitForClientsSeconds <= MaxWaitForClientsSeconds))
            return $"spec.wait_for_clients_seconds must be from 0 to {MaxWaitForClientsSeconds} (7 days; 0: {JobContext.DefaultClientWaitSeconds} s); " +
                $"got {spec.WaitForClientsSeconds.ToString(CultureInfo.InvariantCulture)}. A job never waits for clients for ever.";
        if (spec.InitialModelSha256.Length > 0 && !Sha256Pattern().IsMatch(spec.InitialModelSha256))
            return "spec.initial_model_sha256 must be 64 lower-case hex digits (the SHA-256 Operator.UploadModel returned).";
        if (spec.InitialModelSha256.Length > 0 && (spec.Analysis is not null || JobModes.IsLocal(spec)))
            return "spec.initial_model_sha256 is for federated training jobs (not analysis jobs, not JOB_MODE_LOCAL).";
        if (spec.Analysis is not null) return AnalysisSpecValidator.Validate(spec);
        if (string.IsNullOrWhiteSpace(spec.Model?.Name)) return "spec.model.name is required.";
        if (!ProtoEnums.IsDefined(spec.Mode)) return ProtoEnums.NotOneOf("spec.mode", spec.Mode);
        if (spec.Rounds < 0 || spec.Rounds == 0 && spec.InitialModelSha256.Length == 0)
            return $"spec.rounds must be >= 1 (0 only with spec.initial_model_sha256: evaluate the given model), got {spec.Rounds}.";
        if (spec.Rounds == 0 && spec.CrossSiteValidation)
            return "spec.cross_site_validation needs training rounds; with rounds 0 the job only evaluates the given model.";
        if (!(spec.FractionFit > 0 && spec.FractionFit <= 1))
            return $"spec.fraction_fit must be in (0, 1], got {spec.FractionFit.ToString(CultureInfo.InvariantCulture)}.";
        if (spec.MinFitClients < 1) return $"spec.min_fit_clients must be >= 1, got {spec.MinFitClients}.";
        if (spec.MinAvailableClients < 0) return $"spec.min_available_clients must be >= 0, got {spec.MinAvailableClients}.";
        if (spec.EvaluateEvery < 0) return $"spec.evaluate_every must be >= 0, got {spec.EvaluateEvery}.";
        if (!(double.IsFinite(spec.RoundDeadlineSeconds) && spec.RoundDeadlineSeconds >= 0))
            return "spec.round_deadline_seconds must be a finite number >= 0 (0: the coordinator's default).";
        if (spec.MaxRoundRetries < 0) return $"spec.max_round_retries must be >= 0, got {spec.MaxRoundRetries}.";
        if (spec.Regions.Any(string.IsNullOrWhiteSpace)) return "spec.regions must not contain empty names.";
        if (spec.Regions.Distinct(StringComparer.Ordinal).Count() != spec.Regions.Count) return "spec.regions lists a region twice.";
        if (spec.Regions.Count > 0 && spec.Regions.Count < spec.MinFitClients)
            return $"spec.min_fit_clients ({spec.MinFitClients}) exceeds the {spec.Regions.Count} regions in spec.regions.";
        if (!ProtoEnums.IsDefined(spec.UpdateEncoding)) return ProtoEnums.NotOneOf("spec.update_encoding", spec.UpdateEncoding);
        var local = spec.Local;
        if (local is null) return "spec.local is required.";
        if (local.BatchSize < 1) return $"spec.local.batch_size must be >= 1, got {local.BatchSize}.";
        if (!(double.IsFinite(local.LearningRate) && local.LearningRate > 0))
            return $"spec.local.learning_rate must be > 0, got {local.LearningRate.ToString(CultureInfo.InvariantCulture)}.";
        if (local.LocalSteps < 0 || local.LocalEpochs < 0 || (local.LocalSteps == 0 && local.LocalEpochs == 0))
            return "spec.local.local_steps or spec.local.local_epochs must be > 0 (and neither negative).";
        if (DatasetSchemaValidator.Validate(spec.Schema) is { } schemaProblem) return schemaProblem;
        // A survival label trains only a model that learns one (cox); ModelSpecValidator refuses others naming the model.
        if (ModelSpecValidator.Validate(spec.Model, spec.Schema) is { } modelProblem) return modelProblem;
        if (!ProtoEnums.IsDefined(local.Optimizer)) return ProtoEnums.NotOneOf("spec.local.optimizer", local.Optimizer);
        IStrategy strategy;
        try
        {
            strategy = strategies.Create(spec.Strategy);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        if (!JobModes.IsLocal(spec) && strategy is IMinimumUpdates needs && spec.MinFitClients < needs.MinimumUpdates)
            return $"spec.min_fit_clients must be >= {needs.MinimumUpdates} for this strategy ({needs.MinimumReason}), got {spec.MinFitClients}.";
        return PrivacySpecValidator.Validate(spec, strategies);
    }

    /// <summary>Null when a client-chosen job id is usable (it names a folder of checkpoints), else the problem.</summary>
    public static string? ValidateJobId(string jobId) =>
        JobIdPattern().IsMatch(jobId) ? null
            : $"job_id '{jobId}' must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit.";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex JobIdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
