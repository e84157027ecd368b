using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Storage.InMemory;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// <see cref="ModelRetention"/>: the last N rounds and every k-th keep their models (global, strategy state, SCAFFOLD
/// control); the others leave the store while their round rows, the cross-site local models and the latest round stay.
/// </summary>
public sealed class ModelRetentionTests
{
    [Fact]
    public async Task The_last_rounds_and_every_kth_keep_their_models_and_nothing_else_is_touched()
    {
        await using var store = new InMemoryCoordinatorStore();
        var local = TestModels.LogReg([7f, 7f], 7f);
        await store.Models.SaveAsync("j", "local-Halland", local);
        for (int r = 0; r <= 10; r++)
        {
            var model = TestModels.LogReg([r, 1f], 0f);
            await store.SaveRoundAsync("j", new RoundSummary { Round = r, ModelSha256 = model.ComputeSha256() }, model);
            if (r == 0) continue;
            await store.Models.SaveAsync("j", ModelNames.Control(r), TestModels.LogReg([r, 2f], 0f));
            await store.Models.SaveAsync("j", $"{ModelNames.StrategyStatePrefix}{r}-m", TestModels.LogReg([r, 3f], 0f));
        }
        await store.Models.SaveAsync("j", "round-notes", local); // not a round's name: untouched

        var retention = new ModelRetention { KeepLastRounds = 2, KeepEveryRounds = 5 };
        Assert.Equal([1, 2, 3, 4, 6, 7, 8], await retention.ApplyAsync(store.Models, "j", latest: 10, CancellationToken.None));

        var names = (await store.Models.ListAsync("j", "")).Select(n => n.Name).ToList();
        Assert.Equal(["control-10", "control-5", "control-9", "local-Halland", "round-0", "round-10", "round-5", "round-9", "round-notes",
            "strategy-r10-m", "strategy-r5-m", "strategy-r9-m"], names);
        Assert.Null(await store.LoadGlobalModelAsync("j", 3));
        Assert.Equal(10, (await store.LoadGlobalModelAsync("j", null))?.Round);
        Assert.Equal(11, (await store.Rounds.ListAsync("j")).Count);
        Assert.NotNull(await store.Models.ReadAsync("j", local.ComputeSha256()));
    }

    [Fact]
    public void The_latest_round_is_always_kept_and_the_default_keeps_everything()
    {
        Assert.True(new ModelRetention().Keeps(0, latest: 300));
        Assert.True(new ModelRetention { KeepLastRounds = 1 }.Keeps(300, latest: 300));
        Assert.False(new ModelRetention { KeepLastRounds = 1 }.Keeps(299, latest: 300));
        Assert.True(new ModelRetention { KeepLastRounds = 1, KeepEveryRounds = 100 }.Keeps(200, latest: 300));
    }
}
