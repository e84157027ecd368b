using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;

namespace FederatedCare.Simulation;

/// <summary>
/// The simulation's <see cref="IClientManager"/>: every virtual region is connected for the whole run and holds the
/// synthetic dataset. Also the bounded pool the regions train on (at most <see cref="Parallelism"/> at a time).
/// </summary>
internal sealed class VirtualClients(ModelCache cache, int parallelism) : IClientManager
{
    private readonly Dictionary<string, VirtualClient> _clients = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, parallelism));
    private readonly TaskCompletionSource _never = new();
    private Exception? _failure;

    /// <summary>The models the engine publishes for download.</summary>
    public ModelCache Cache { get; } = cache;

    /// <summary>Regions trained at once.</summary>
    public int Parallelism { get; } = Math.Max(1, parallelism);

    /// <summary>The first exception a region's work threw (its answer is then missing from the round); null when none.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    public void Add(VirtualClient client) => _clients.Add(client.Region, client);

    public IReadOnlyList<AvailableClient> Connected(IReadOnlyCollection<string> regions, string dataset) => _clients.Keys
        .Where(r => regions.Count == 0 || regions.Contains(r))
        .Order(StringComparer.Ordinal)
        .Select(r => new AvailableClient(r, r))
        .ToList();

    public IReadOnlyList<string> ConnectedWithout(IReadOnlyCollection<string> regions, string dataset) => [];

    public IReadOnlyList<ConnectedRegion> AllConnected() => _clients.Keys
        .Order(StringComparer.Ordinal)
        .Select(r => new ConnectedRegion(r, ["synthetic"]))
        .ToList();

    public Task Changed => _never.Task;

    public IClientProxy? Find(string nodeId) => _clients.GetValueOrDefault(nodeId);

    /// <summary>Runs a region's work on the thread pool once a slot is free.</summary>
    public void Schedule(Action work) => _ = Task.Run(async () =>
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            work();
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            _slots.Release();
        }
    });
}
