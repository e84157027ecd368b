using System.Collections.Concurrent;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Simulation;

/// <summary>
/// Model-sized parameter sets (names and shapes of one model) that trainings rent and give back, so a simulation of
/// thousands of clients allocates about one set per concurrent use instead of several per client: each set of a large
/// model is a large-object-heap array that the GC would otherwise let pile up as garbage (a 12.5 M-parameter MLP with
/// 200 clients peaked at 1.8 GB without pooling and without <c>System.GC.ConserveMemory</c>). Holds every set given back,
/// so its size is the most sets rented at once. Thread-safe.
/// </summary>
/// <param name="allocate">Makes a new set (zeros) when none is spare.</param>
internal sealed class ModelBuffers(Func<ModelParameters> allocate)
{
    private readonly ConcurrentBag<ModelParameters> _spare = [];

    /// <summary>A set of the layout's shape with arbitrary contents (a given-back set, or a new one of zeros).</summary>
    public ModelParameters Rent() => _spare.TryTake(out var spare) ? spare : allocate();

    /// <summary>
    /// Gives a set back for the next <see cref="Rent"/>. The caller must hold the only reference to its arrays: nothing
    /// may read or write them afterwards.
    /// </summary>
    public void Return(ModelParameters buffers) => _spare.Add(buffers);
}
