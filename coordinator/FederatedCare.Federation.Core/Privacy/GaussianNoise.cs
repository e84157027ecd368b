using MathNet.Numerics.Distributions;

namespace FederatedCare.Federation.Core.Privacy;

/// <summary>
/// Adds independent N(0, σ²) noise to every value, drawn with MathNet.Numerics' <see cref="Normal"/> distribution
/// from the given source, in array and element order: the same source and σ give the same noise. The noise is drawn
/// in float64 and each sum rounded to float32. Memory: one block of samples, whatever the model size.
/// </summary>
public static class GaussianNoise
{
    private const int BlockElements = 4096;

    /// <summary>values += N(0, <paramref name="stddev"/>²) element-wise; nothing when σ = 0.</summary>
    public static void Add(IReadOnlyList<float[]> arrays, double stddev, Random source)
    {
        if (stddev == 0) return;
        var samples = new double[BlockElements];
        foreach (var values in arrays)
            for (int start = 0; start < values.Length; start += BlockElements)
            {
                // MathNet fills the whole block; a tensor's last block uses what it needs.
                Normal.Samples(source, samples, 0, stddev);
                int length = Math.Min(BlockElements, values.Length - start);
                for (int i = 0; i < length; i++) values[start + i] = (float)(values[start + i] + samples[i]);
            }
    }
}
