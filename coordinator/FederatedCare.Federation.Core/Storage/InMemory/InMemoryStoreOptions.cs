namespace FederatedCare.Federation.Core.Storage.InMemory;

/// <summary>Options of <see cref="InMemoryCoordinatorStore"/>.</summary>
public sealed class InMemoryStoreOptions
{
    /// <summary>
    /// How many of a job's latest global models (<see cref="ModelNames.Round"/>) stay in memory; null (the default) keeps
    /// every one, as the databases do. With a bound, saving round r drops the models of rounds r - N and older (their
    /// round rows stay; <see cref="GlobalModels.LoadGlobalModelAsync"/> then answers null for them), so a long simulation
    /// holds N models instead of one per round. Other names (local models, control variates, strategy state) are kept.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int? RoundModelsKept
    {
        get;
        init
        {
            if (value is < 1) throw new ArgumentOutOfRangeException(nameof(RoundModelsKept), value, "at least 1 round model must be kept.");
            field = value;
        }
    }
}
