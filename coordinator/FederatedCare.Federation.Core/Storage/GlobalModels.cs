using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>The two steps that store or load a round's global model together with its row.</summary>
public static class GlobalModels
{
    /// <summary>
    /// Stores the global model after <c>round.Round</c> under <see cref="ModelNames.Round"/>, then the round row (and its
    /// privacy spend): the model first, so a round row never points at a model that is not stored.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="round">The round; <c>round.ModelSha256</c> must be the model's SHA-256.</param>
    /// <param name="model">The global model after the round.</param>
    /// <param name="ct">Cancels the write.</param>
    public static async Task SaveRoundAsync(this ICoordinatorStore store, string jobId, RoundSummary round, ModelParameters model,
        CancellationToken ct = default)
    {
        await store.Models.SaveAsync(jobId, ModelNames.Round(round.Round), model, round.ModelSha256, ct).ConfigureAwait(false);
        await store.Rounds.SaveAsync(jobId, round, ct).ConfigureAwait(false);
    }

    /// <summary>The global model after a round (null or negative: the latest stored round), or null when there is none.</summary>
    public static async Task<(int Round, ModelParameters Model)?> LoadGlobalModelAsync(this ICoordinatorStore store, string jobId, int? round,
        CancellationToken ct = default)
    {
        if (await store.Rounds.GetAsync(jobId, round, ct).ConfigureAwait(false) is not { } found) return null;
        return await store.Models.ReadAsync(jobId, found.ModelSha256, ct).ConfigureAwait(false) is { } model ? (found.Round, model) : null;
    }
}
