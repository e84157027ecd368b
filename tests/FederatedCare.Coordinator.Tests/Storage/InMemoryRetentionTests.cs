using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Storage.InMemory;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// <see cref="InMemoryStoreOptions.RoundModelsKept"/>, which bounds the simulator's memory: older global models leave
/// the store, their round rows and every other named model stay.
/// </summary>
public sealed class InMemoryRetentionTests
{
    private static async Task SaveRoundAsync(ICoordinatorStore store, int round, ModelParameters model) =>
        await store.SaveRoundAsync("j", new RoundSummary { Round = round, ModelSha256 = model.ComputeSha256() }, model);

    [Fact]
    public async Task Saving_a_round_drops_the_global_models_beyond_the_latest_N()
    {
        await using var store = new InMemoryCoordinatorStore(options: new InMemoryStoreOptions { RoundModelsKept = 2 });
        var models = Enumerable.Range(0, 4).Select(r => TestModels.LogReg([r, 1f], 0f)).ToList();
        await store.Models.SaveAsync("j", "local-Halland", models[0]); // the same model as round 0, under another name
        for (int r = 0; r < models.Count; r++) await SaveRoundAsync(store, r, models[r]);

        Assert.Equal(["local-Halland", "round-2", "round-3"], (await store.Models.ListAsync("j", "")).Select(n => n.Name));
        Assert.Null(await store.LoadGlobalModelAsync("j", 1));
        Assert.Null(await store.Models.ReadAsync("j", models[1].ComputeSha256()));
        Assert.Equal(models[2].ComputeSha256(), (await store.LoadGlobalModelAsync("j", 2))?.Model.ComputeSha256());
        Assert.Equal(3, (await store.LoadGlobalModelAsync("j", null))?.Round);
        // Round 0's model is still named by local-Halland, so still there; and the rows of the dropped rounds stay.
        Assert.Equal(0, (await store.LoadGlobalModelAsync("j", 0))?.Round);
        Assert.Equal([0, 1, 2, 3], (await store.Rounds.ListAsync("j")).Select(r => r.Round));
    }

    [Fact]
    public async Task Without_a_bound_every_global_model_is_kept()
    {
        await using var store = new InMemoryCoordinatorStore();
        for (int r = 0; r < 3; r++) await SaveRoundAsync(store, r, TestModels.LogReg([r, 1f], 0f));

        Assert.Equal(["round-0", "round-1", "round-2"], (await store.Models.ListAsync("j", "")).Select(n => n.Name));
    }

    [Fact]
    public void A_bound_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryStoreOptions { RoundModelsKept = 0 });
}
