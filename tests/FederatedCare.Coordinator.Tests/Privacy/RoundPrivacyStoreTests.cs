using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Privacy;

public class RoundPrivacyStoreTests
{
    [Fact]
    public async Task The_privacy_of_each_round_survives_reopening_and_other_rounds_have_none()
    {
        var dir = TestModels.TempDirectory();
        var model = TestModels.LogReg([0.25f, -1.5f], 3f);
        var spent = new RoundPrivacy { Epsilon = 3.25, Delta = 1e-5, RdpOrder = 7, SamplingRate = 0.75, NoiseStddev = 0.25 };
        {
            var store = new SqliteCoordinatorStore(dir);
            var round = new RoundSummary { Round = 0, ModelSha256 = model.ComputeSha256(), NumExamples = 10 };
            await store.SaveRoundAsync("dp", round, model);
            round.Round = 1;
            round.Privacy = spent;
            await store.SaveRoundAsync("dp", round, model);
            round.Round = 2;
            round.Privacy = new RoundPrivacy { Epsilon = double.PositiveInfinity, Delta = 1e-5, RdpOrder = 2, SamplingRate = 1 };
            await store.SaveRoundAsync("dp", round, model);
        }
        var rounds = await new SqliteCoordinatorStore(dir).ListRoundsAsync("dp");
        Assert.Equal([0, 1, 2], rounds.Select(r => r.Round));
        Assert.Null(rounds[0].Privacy);
        Assert.Equal(spent, rounds[1].Privacy);
        Assert.Equal(double.PositiveInfinity, rounds[2].Privacy.Epsilon);
    }
}
