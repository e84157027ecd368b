using FederatedCare.Protos.Wire;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>Large models for the scale benchmarks: one weight tensor plus a small bias, filled by a cheap pattern.</summary>
public static class BenchModels
{
    /// <summary>A model of <paramref name="parameters"/> float32 values (≥ 1024), value i = scale·((i % 997) − 498).</summary>
    public static ModelParameters Create(long parameters, float scale)
    {
        var weight = new float[parameters - 1024];
        var bias = new float[1024];
        Fill(weight, scale);
        Fill(bias, scale);
        return new ModelParameters([new NamedTensor("w", [weight.LongLength], weight), new NamedTensor("b", [1024], bias)]);
    }

    /// <summary>Fills an array with the pattern, in parallel.</summary>
    public static void Fill(float[] values, float scale) =>
        Parallel.For(0, (values.Length + (1 << 20) - 1) >> 20, block =>
        {
            int start = block << 20, end = Math.Min(values.Length, start + (1 << 20));
            for (int i = start; i < end; i++) values[i] = scale * ((i % 997) - 498);
        });
}
