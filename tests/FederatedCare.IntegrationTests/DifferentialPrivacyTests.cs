using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests;

/// <summary>DP-FedAvg with four real node agents over loopback gRPC on the shipped heart-disease data.</summary>
public sealed class DifferentialPrivacyTests
{
    [Theory]
    [InlineData(ClippingSide.Server)]
    [InlineData(ClippingSide.Client)]
    public async Task The_dp_example_succeeds_and_reports_a_growing_epsilon_every_round(ClippingSide clipping)
    {
        await using var federation = await Federation.StartAsync();
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg-dp.json"));
        spec.Rounds = 3;
        spec.Privacy.Clipping = clipping;

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Contains("privacy ε = ", status.Message);
        var rounds = (await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId })).Rounds;
        Assert.Equal([0, 1, 2, 3], rounds.Select(r => r.Round));
        Assert.Null(rounds[0].Privacy);
        var epsilons = rounds.Skip(1).Select(r => r.Privacy.Epsilon).ToList();
        Assert.All(epsilons, e => Assert.True(double.IsFinite(e) && e > 0));
        Assert.True(epsilons[0] < epsilons[1] && epsilons[1] < epsilons[2], string.Join(", ", epsilons));
        foreach (var round in rounds.Skip(1))
        {
            // Every region took part (with client-side clipping: no node's clipped update was refused).
            Assert.Equal(4, round.Participants.Count);
            Assert.Equal(1.0, round.Privacy.SamplingRate);
            Assert.Equal(3.0 * 0.05 / 4, round.Privacy.NoiseStddev, 12);
            Assert.Equal(1e-5, round.Privacy.Delta);
        }
    }
}
