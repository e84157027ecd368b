using FederatedCare.Federation.Core.Strategies;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Who is connected (Flower's ClientManager): the coordinator's node registry, or the simulator's virtual clients.
/// Sampling among the connected clients is the strategy's (<see cref="IStrategy.ConfigureFit"/>, seeded by the job).
/// </summary>
public interface IClientManager
{
    /// <summary>
    /// Clients ready for work, restricted to <paramref name="regions"/> when it is not empty and to those that hold
    /// <paramref name="dataset"/>; sorted by region (ordinal).
    /// </summary>
    IReadOnlyList<AvailableClient> Connected(IReadOnlyCollection<string> regions, string dataset);

    /// <summary>Regions connected (within <paramref name="regions"/>) that do not hold <paramref name="dataset"/>, by name.</summary>
    IReadOnlyList<string> ConnectedWithout(IReadOnlyCollection<string> regions, string dataset);

    /// <summary>
    /// Every connected region, whatever a job's regions, with the datasets it holds; sorted by region (ordinal). Named
    /// when a job gives up waiting, so a typo in the dataset or in spec.regions shows at once.
    /// </summary>
    IReadOnlyList<ConnectedRegion> AllConnected();

    /// <summary>A task that completes at the next change of <see cref="Connected"/> (registration, connect, disconnect).</summary>
    Task Changed { get; }

    /// <summary>The proxy of a connected client; null when it is gone (its tasks are then not delivered).</summary>
    IClientProxy? Find(string nodeId);
}
