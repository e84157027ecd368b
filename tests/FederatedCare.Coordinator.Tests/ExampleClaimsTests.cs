using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

/// <summary>The num_examples a region may claim: bounded by its reported training rows, then fixed for the job, also across a restart.</summary>
public class ExampleClaimsTests
{
    private static ClientUpdate Update(string region, long n) => new(region, n, TestModels.LogReg([0f], 0f), new Dictionary<string, double>());

    [Fact]
    public void The_first_accepted_fit_update_fixes_the_count_and_initial_models_are_only_bounded_by_the_rows()
    {
        var claims = new ExampleClaims { TrainRows = new Dictionary<string, long> { ["Halland"] = 50 } };
        Assert.Null(claims.Problem("j", "Halland", RoundPhase.Fit, 40));
        claims.Record(1, [Update("Halland", 40), Update("Örebro", 7)]);

        Assert.Null(claims.Problem("j", "Halland", RoundPhase.Fit, 40));
        Assert.Equal("num_examples 41 differs from the 40 Halland claimed in round 1 of job 'j': a region's training rows and the job's " +
            "local training are the same in every round.", claims.Problem("j", "Halland", RoundPhase.Fit, 41));
        Assert.Equal("num_examples 51 exceeds the 50 training rows Halland reported for job 'j' in its statistics phase.",
            claims.Problem("j", "Halland", RoundPhase.Fit, 51));
        Assert.NotNull(claims.Problem("j", "Örebro", RoundPhase.Fit, 8));
        Assert.Null(claims.Problem("j", "Örebro", RoundPhase.Initialize, 8));
        // A later round's record does not move a fixed count.
        claims.Record(2, [Update("Halland", 30)]);
        Assert.Null(claims.Problem("j", "Halland", RoundPhase.Fit, 40));
    }

    [Fact]
    public void After_a_restart_the_counts_come_back_from_the_earliest_stored_fit_rows()
    {
        var claims = new ExampleClaims();
        claims.Restore([
            new RegionMetrics { Region = "Halland", Round = 2, Split = FitMetrics.Split, NumExamples = 99 },
            new RegionMetrics { Region = "Halland", Round = 1, Split = FitMetrics.Split, NumExamples = 40 },
            new RegionMetrics { Region = "Halland", Round = 1, Split = "test", NumExamples = 12 },
        ]);

        Assert.Null(claims.Problem("j", "Halland", RoundPhase.Fit, 40));
        Assert.Contains("differs from the 40 Halland claimed in round 1", claims.Problem("j", "Halland", RoundPhase.Fit, 12));
    }
}
