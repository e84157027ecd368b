using FederatedCare.Privacy;
using System.Globalization;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Privacy;

/// <summary>Checks <see cref="JobSpec.Privacy"/> at StartJob; every message names the field.</summary>
public static class PrivacySpecValidator
{
    /// <summary>Null when the spec has no privacy or valid privacy settings, else the first problem.</summary>
    public static string? Validate(JobSpec spec, StrategyRegistry strategies)
    {
        if (spec.Privacy is not { } p) return null;
        if (!(double.IsFinite(p.ClippingNorm) && p.ClippingNorm > 0))
            return $"spec.privacy.clipping_norm must be a finite number > 0, got {Text(p.ClippingNorm)}.";
        if (!(double.IsFinite(p.NoiseMultiplier) && p.NoiseMultiplier >= 0))
            return $"spec.privacy.noise_multiplier must be a finite number >= 0, got {Text(p.NoiseMultiplier)}.";
        if (!ProtoEnums.IsDefined(p.Clipping)) return ProtoEnums.NotOneOf("spec.privacy.clipping", p.Clipping);
        // δ is the probability that the guarantee fails outright; above 1/(number of regions) an ε means nothing, and a
        // federation has at least a few regions: 0.01 is a generous ceiling.
        if (!(p.TargetDelta == 0 || p.TargetDelta is > 0 and <= PrivacySettings.MaxDelta))
            return $"spec.privacy.target_delta must be in (0, {Text(PrivacySettings.MaxDelta)}] (0 means {PrivacySettings.DefaultDelta.ToString("0e0", CultureInfo.InvariantCulture)}; " +
                $"δ must be far below 1/(number of regions)), got {Text(p.TargetDelta)}.";
        if (JobModes.IsLocal(spec))
            return $"spec.privacy cannot be combined with spec.mode {ProtoEnums.Name(spec.Mode)}: nothing is aggregated, so there is nothing to privatise.";
        if (spec.CrossSiteValidation)
            return "spec.privacy cannot be combined with spec.cross_site_validation: it stores and evaluates every region's own, " +
                "un-noised local model, which the privacy guarantee does not cover.";
        var name = spec.Strategy?.Name ?? "";
        if (strategies.Create(spec.Strategy) is not IModelDeltaStrategy)
            return $"spec.privacy needs a strategy whose aggregate is a mean of the updates ({string.Join(", ", MeanStrategies(strategies))}); " +
                $"spec.strategy.name '{name}' is not one: {WhyNot(name)}";
        if (spec.Strategy!.Parameters.TryGetValue("weighted", out var weighted) && weighted == 1)
            return "spec.strategy.parameters.weighted = 1 conflicts with spec.privacy: DP-FedAvg averages the clipped updates " +
                "unweighted (weights would change the sensitivity the noise is calibrated to); leave it out or set it to 0.";
        return null;
    }

    private static IEnumerable<string> MeanStrategies(StrategyRegistry strategies) =>
        strategies.Names.Where(n => strategies.Create(new StrategySpec { Name = n }) is IModelDeltaStrategy);

    private static string WhyNot(string strategy) => strategy.ToLowerInvariant() switch
    {
        Scaffold.StrategyName => "SCAFFOLD also aggregates control variates, which would need clipping and noise of their own.",
        _ => "robust aggregates (median, trimmed mean, Krum) select or rank the updates, so clipping and Gaussian noise on a mean " +
            "do not bound what one region can change.",
    };

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
