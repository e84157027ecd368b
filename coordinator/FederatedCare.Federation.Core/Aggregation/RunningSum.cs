using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// The running weighted sum of one round's updates, laid out like the updates (<see cref="IStrategy.ExpectedUpdate"/>):
/// Sᵗ = Σᵢ wᵢᵗ·sᵢ·Uᵢᵗ for every tensor t, with the weights wᵢᵗ the strategy chooses (<see cref="IMeanStrategy.Weight"/>),
/// the per-update scales sᵢ (clipping), and the weight totals Wᵗ = Σᵢ wᵢᵗ in float64. Memory: one float32 array per
/// tensor (the model size), allocated at the first fold, whatever the number of clients. Not thread-safe: the round
/// folds one update at a time (under its lock).
/// </summary>
/// <param name="weight">wᵗ of an update: (tensor index, num_examples) → weight.</param>
/// <param name="layout">The update layout.</param>
public sealed class RunningSum(Func<int, long, double> weight, IReadOnlyList<TensorSpec> layout)
{
    private float[][]? _sums;
    private readonly double[] _weights = new double[layout.Count];

    /// <summary>The update layout: names and shapes of the summed tensors.</summary>
    public IReadOnlyList<TensorSpec> Layout { get; } = layout;

    /// <summary>Updates folded so far.</summary>
    public int Count { get; private set; }

    /// <summary>Σ num_examples of the folded updates.</summary>
    public long NumExamples { get; private set; }

    /// <summary>
    /// Adds one complete, validated update (one float32 array per layout tensor): Sᵗ += wᵗ·s·Uᵗ and Wᵗ += wᵗ, where the
    /// scale s (differential privacy's clip factor) multiplies the values without counting as weight.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not match the layout.</exception>
    public void Fold(IReadOnlyList<float[]> update, long numExamples, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Count != Layout.Count) throw new ArgumentException($"The update has {update.Count} tensors, the layout {Layout.Count}.", nameof(update));
        _sums ??= update.Select(u => new float[u.Length]).ToArray();
        for (int t = 0; t < _sums.Length; t++)
        {
            double w = weight(t, numExamples);
            ParallelMath.MultiplyAdd(update[t], (float)(w * scale), _sums[t]);
            _weights[t] += w;
        }
        Count++;
        NumExamples += numExamples;
    }

    /// <summary>Turns the sums into the mean Sᵗ/Wᵗ in place and hands it over; the sum is empty afterwards.</summary>
    /// <exception cref="InvalidOperationException">Nothing was folded.</exception>
    public RoundMean TakeMean()
    {
        var sums = _sums ?? throw new InvalidOperationException("No update was folded.");
        for (int t = 0; t < sums.Length; t++)
        {
            var values = sums[t];
            ParallelMath.For(values.Length, (start, length) =>
                System.Numerics.Tensors.TensorPrimitives.Multiply(values.AsSpan(start, length), (float)(1 / _weights[t]), values.AsSpan(start, length)));
        }
        _sums = null;
        return new RoundMean(sums, Count, NumExamples);
    }
}
