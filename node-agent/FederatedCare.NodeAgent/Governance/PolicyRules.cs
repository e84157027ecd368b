using System.Globalization;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>A rule of the region's policy that a job breaks.</summary>
/// <param name="Rule">The rule's configuration key under <c>NodeAgent:Policy</c>, e.g. <c>MaxEpsilon</c>.</param>
/// <param name="Reason">Why, in the job's and the policy's terms (never a value from the data).</param>
public sealed record PolicyViolation(string Rule, string Reason)
{
    /// <summary>The refusal the coordinator's job status shows after the region's name, e.g. <c>policy rule MaxEpsilon: …</c>.</summary>
    public override string ToString() => $"policy rule {Rule}: {Reason}";
}

/// <summary>
/// The checks of <see cref="PolicyOptions"/> on a job spec, in a fixed order (the first broken rule is reported): who
/// submitted it, secure aggregation, dataset and columns, job kind, strategy, model, rounds, differential privacy and
/// ε, the local model at the coordinator. Pure: the spec and the submitter in, the broken rule out.
/// </summary>
public static class PolicyRules
{
    /// <summary>The first rule <paramref name="spec"/> breaks, or null when the policy allows the job.</summary>
    /// <param name="policy">The region's policy.</param>
    /// <param name="spec">The job's spec as the node received it.</param>
    /// <param name="facts">What the node worked out from <paramref name="spec"/> (<see cref="JobFacts.Of"/>).</param>
    /// <param name="submittedBy">The operator's certificate name; empty without mutual TLS.</param>
    public static PolicyViolation? FirstViolation(PolicyOptions policy, JobSpec spec, JobFacts facts, string submittedBy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(facts);
        if (policy.AllowedOperators.Count > 0 && !policy.AllowedOperators.Contains(submittedBy, StringComparer.Ordinal))
            return new(nameof(policy.AllowedOperators), submittedBy.Length == 0
                ? "the job's submitter is unknown (no mutual TLS) and this region admits only its listed operators"
                : $"operator '{submittedBy}' may not run jobs on this region");
        if (policy.RequireSecureAggregation)
            return new(nameof(policy.RequireSecureAggregation), "this region requires secure aggregation, which is not available yet");
        if (!policy.Datasets.TryGetValue(spec.Dataset, out var dataset))
            return new(nameof(policy.Datasets), $"dataset '{spec.Dataset}' is not in this region's allowlist");
        var outside = facts.Columns.Where(c => !dataset.Columns.Contains(c, StringComparer.Ordinal)).ToList();
        if (outside.Count > 0)
            return new($"{nameof(policy.Datasets)}:{spec.Dataset}:{nameof(PolicyDatasetOptions.Columns)}",
                $"column{(outside.Count > 1 ? "s" : "")} {string.Join(", ", outside.Select(c => $"'{c}'"))} not in this region's allowlist");
        if (policy.JobKinds.Count > 0 && facts.Kinds.FirstOrDefault(k => !policy.JobKinds.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } kind)
            return new(nameof(policy.JobKinds), $"{kind} jobs are not allowed here (allowed: {string.Join(", ", policy.JobKinds)})");
        if (facts.Training)
        {
            var strategy = spec.Strategy?.Name ?? "";
            if (policy.Strategies.Count > 0 && !policy.Strategies.Contains(strategy.Trim(), StringComparer.OrdinalIgnoreCase))
                return new(nameof(policy.Strategies), $"strategy '{strategy}' is not allowed here (allowed: {string.Join(", ", policy.Strategies)})");
            var model = spec.Model?.Name ?? "";
            if (policy.Models.Count > 0 && !policy.Models.Contains(model, StringComparer.Ordinal))
                return new(nameof(policy.Models), $"model '{model}' is not allowed here (allowed: {string.Join(", ", policy.Models)})");
            if (policy.MaxRounds > 0 && facts.Rounds > policy.MaxRounds)
                return new(nameof(policy.MaxRounds), $"the job has {facts.Rounds} rounds, more than this region's {policy.MaxRounds}");
            bool noised = facts.Privacy is { NoiseMultiplier: > 0 };
            if (policy.RequireDifferentialPrivacy && !noised)
                return new(nameof(policy.RequireDifferentialPrivacy), "this region requires differential privacy (privacy with a noise multiplier above 0)");
            if (policy.MaxEpsilon is { } maxEpsilon)
            {
                if (facts.PlannedEpsilon is not { } planned)
                    return new(nameof(policy.MaxEpsilon), $"the job has no differential privacy (ε = ∞); this region accepts at most ε = {Number(maxEpsilon)}");
                if (!(planned <= maxEpsilon))
                    return new(nameof(policy.MaxEpsilon), string.Create(CultureInfo.InvariantCulture,
                        $"planned ε = {Number(planned)} at δ = {facts.Privacy!.Delta:0.##e0} over {facts.Rounds} rounds exceeds this region's {Number(maxEpsilon)}"));
            }
            if (!policy.AllowLocalModelAtCoordinator && (spec.CrossSiteValidation || spec.Mode == JobMode.Local))
                return new(nameof(policy.AllowLocalModelAtCoordinator), spec.Mode == JobMode.Local
                    ? "local mode keeps this region's local model at the coordinator, which this region does not allow"
                    : "cross-site validation keeps this region's local model at the coordinator, which this region does not allow");
        }
        return null;
    }

    /// <summary>ε or a limit as the refusal writes it: two decimals, ∞ spelt out.</summary>
    public static string Number(double value) => double.IsPositiveInfinity(value) ? "∞" : value.ToString("0.00", CultureInfo.InvariantCulture);
}
