using System.Globalization;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Persists a strategy's server state (<see cref="IStrategy.ServerState"/>: FedAdam's m and v, SCAFFOLD's c) as the
/// job's tensor sets <c>strategy-r&lt;round&gt;-&lt;name&gt;</c>, written before the round's global model and row, so
/// the state of every stored round is on disk. A crash between the two leaves state of a round that is not stored;
/// the resumed job redoes that round and overwrites it, so nothing is applied twice. Restoring reads the sets of the
/// latest stored round only.
/// </summary>
public static class StrategyCheckpoint
{
    /// <summary>Stores the strategy's state after <paramref name="round"/>; nothing for stateless strategies.</summary>
    public static async Task SaveAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct)
    {
        foreach (var (name, tensors) in strategy.ServerState)
            await store.Models.SaveAsync(jobId, RoundPrefix(round) + name, tensors, ct: ct).ConfigureAwait(false);
    }

    /// <summary>Gives the strategy the state stored after <paramref name="round"/> (fresh state when there is none).</summary>
    /// <exception cref="JobFailedException">A stored state file is missing.</exception>
    public static async Task RestoreAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct)
    {
        var prefix = RoundPrefix(round);
        var state = new Dictionary<string, ModelParameters>(StringComparer.Ordinal);
        foreach (var (name, sha) in await store.Models.ListAsync(jobId, prefix, ct).ConfigureAwait(false))
        {
            state[name[prefix.Length..]] = await store.Models.ReadAsync(jobId, sha, ct).ConfigureAwait(false)
                ?? throw new JobFailedException($"round {round}: the stored strategy state '{name}' ({sha}) is missing from the store.");
        }
        strategy.RestoreState(state);
    }

    private static string RoundPrefix(int round) => string.Create(CultureInfo.InvariantCulture, $"{ModelNames.StrategyStatePrefix}{round}-");
}
