using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Privacy;

public class PrivacySpecValidationTests
{
    private static readonly StrategyRegistry Strategies = new(BuiltInStrategies.All);

    private static JobSpec DpSpec(string strategy = "fedavg")
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Strategy = new StrategySpec { Name = strategy };
        spec.Privacy = new PrivacySpec { ClippingNorm = 1.0, NoiseMultiplier = 1.0 };
        return spec;
    }

    [Theory]
    [InlineData("fedavg")]
    [InlineData("fedprox")]
    [InlineData("fedadam")]
    [InlineData("fedyogi")]
    [InlineData("fedadagrad")]
    public void Privacy_with_a_mean_strategy_passes(string strategy) => Assert.Null(JobSpecValidator.Validate(DpSpec(strategy), Strategies));

    [Theory]
    [InlineData("clipping_norm_zero", "spec.privacy.clipping_norm must be a finite number > 0, got 0.")]
    [InlineData("clipping_norm_nan", "spec.privacy.clipping_norm must be a finite number > 0, got NaN.")]
    [InlineData("noise_negative", "spec.privacy.noise_multiplier must be a finite number >= 0, got -1.")]
    [InlineData("noise_infinite", "spec.privacy.noise_multiplier must be a finite number >= 0, got Infinity.")]
    [InlineData("clipping_mode", "spec.privacy.clipping 2 is not one of CLIPPING_SIDE_SERVER, CLIPPING_SIDE_CLIENT.")]
    [InlineData("delta_one", "spec.privacy.target_delta must be in (0, 0.01] (0 means 1e-5; δ must be far below 1/(number of regions)), got 1.")]
    [InlineData("delta_half", "spec.privacy.target_delta must be in (0, 0.01] (0 means 1e-5; δ must be far below 1/(number of regions)), got 0.5.")]
    [InlineData("delta_negative", "spec.privacy.target_delta must be in (0, 0.01] (0 means 1e-5; δ must be far below 1/(number of regions)), got -0.5.")]
    public void Each_invalid_privacy_field_is_named(string field, string expected)
    {
        var spec = DpSpec();
        switch (field)
        {
            case "clipping_norm_zero": spec.Privacy.ClippingNorm = 0; break;
            case "clipping_norm_nan": spec.Privacy.ClippingNorm = double.NaN; break;
            case "noise_negative": spec.Privacy.NoiseMultiplier = -1; break;
            case "noise_infinite": spec.Privacy.NoiseMultiplier = double.PositiveInfinity; break;
            case "clipping_mode": spec.Privacy.Clipping = (ClippingSide)2; break;
            case "delta_one": spec.Privacy.TargetDelta = 1; break;
            case "delta_half": spec.Privacy.TargetDelta = 0.5; break;
            case "delta_negative": spec.Privacy.TargetDelta = -0.5; break;
        }
        Assert.Equal(expected, JobSpecValidator.Validate(spec, Strategies));
    }

    [Theory]
    [InlineData("krum", "robust aggregates")]
    [InlineData("median", "robust aggregates")]
    [InlineData("trimmed_mean", "robust aggregates")]
    [InlineData("scaffold", "control variates")]
    public void Strategies_whose_aggregate_is_not_a_mean_are_refused_by_name(string strategy, string why)
    {
        var spec = DpSpec(strategy);
        spec.MinFitClients = 5; // enough for Krum's own minimum, so the privacy check is the one that refuses
        var message = JobSpecValidator.Validate(spec, Strategies);
        Assert.NotNull(message);
        Assert.StartsWith("spec.privacy needs a strategy whose aggregate is a mean of the updates (fedadagrad, fedadam, fedavg, fedprox, fedyogi); " +
            $"spec.strategy.name '{strategy}' is not one", message);
        Assert.Contains(why, message);
    }

    [Fact]
    public void Local_mode_cross_site_validation_and_weighted_means_are_refused()
    {
        var local = DpSpec();
        local.Mode = JobMode.Local;
        Assert.StartsWith("spec.privacy cannot be combined with spec.mode JOB_MODE_LOCAL:", JobSpecValidator.Validate(local, Strategies));

        var crossSite = DpSpec();
        crossSite.CrossSiteValidation = true;
        Assert.StartsWith("spec.privacy cannot be combined with spec.cross_site_validation", JobSpecValidator.Validate(crossSite, Strategies));

        var weighted = DpSpec();
        weighted.Strategy.Parameters["weighted"] = 1;
        Assert.StartsWith("spec.strategy.parameters.weighted = 1 conflicts with spec.privacy", JobSpecValidator.Validate(weighted, Strategies));
        weighted.Strategy.Parameters["weighted"] = 0;
        Assert.Null(JobSpecValidator.Validate(weighted, Strategies));
    }
}
