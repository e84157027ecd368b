using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// The running weighted sum of one round's updates, laid out like the updates (<see cref="IStrategy.ExpectedUpdate"/>):
/// Sᵗ = Σᵢ wᵢᵗ·Uᵢᵗ for every tensor t, with the weights wᵢᵗ the strategy chooses
/// (<see cref="IStreamingStrategy.FoldWeight"/>) and their totals Wᵗ = Σᵢ wᵢᵗ in float64. Memory: one float32 array
/// per tensor (the model size), allocated at the first fold, whatever the number of clients. Not thread-safe: the
/// round folds one update at a time (the open round's lock).
/// </summary>
public sealed class RunningSum(IStreamingStrategy strategy, IReadOnlyList<TensorSpec> layout)
{
    private float[][]? _sums;
    private readonly double[] _weights = new double[layout.Count];

    /// <summary>The update layout: names and shapes of the summed tensors.</summary>
    public IReadOnlyList<TensorSpec> Layout { get; } = layout;

    /// <summary>Sᵗ, one array per tensor of the layout; null before the first fold.</summary>
    public IReadOnlyList<float[]>? Sums => _sums;

    /// <summary>Wᵗ, the total weight folded into tensor t.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Updates folded so far.</summary>
    public int Count { get; private set; }

    /// <summary>Σ num_examples of the folded updates.</summary>
    public long NumExamples { get; private set; }

    /// <summary>
    /// Adds one complete, validated update (one float32 array per layout tensor): Sᵗ += wᵗ·s·Uᵗ and Wᵗ += wᵗ, where the
    /// scale s (e.g. differential privacy's clip factor) multiplies the values without counting as weight.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not match the layout.</exception>
    public void Fold(IReadOnlyList<float[]> update, long numExamples, double scale = 1)
    {
        if (update.Count != Layout.Count) throw new ArgumentException($"The update has {update.Count} tensors, the layout {Layout.Count}.", nameof(update));
        _sums ??= update.Select(u => new float[u.Length]).ToArray();
        for (int t = 0; t < _sums.Length; t++)
        {
            double weight = strategy.FoldWeight(t, numExamples);
            ParallelMath.MultiplyAdd(update[t], (float)(weight * scale), _sums[t]);
            _weights[t] += weight;
        }
        Count++;
        NumExamples += numExamples;
    }

    /// <summary>Hands the sum arrays over (e.g. to become the next global model); the sum is empty afterwards.</summary>
    /// <exception cref="InvalidOperationException">Nothing was folded.</exception>
    public float[][] TakeSums()
    {
        var sums = _sums ?? throw new InvalidOperationException("No update was folded.");
        _sums = null;
        return sums;
    }
}
