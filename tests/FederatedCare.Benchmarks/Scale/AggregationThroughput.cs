using System.Diagnostics;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>
/// Streaming-aggregation throughput: N updates of P float32 parameters folded into a FedAvg <see cref="RunningSum"/>
/// one after another, as they would arrive, in GB/s of update bytes (N·P·4 / seconds, 1 GB = 10⁹ bytes); beside a
/// plain single-threaded memory copy (Span.CopyTo) of the same bytes, measured in the same run. Steady state: the sum
/// and the copy destination are allocated and touched before timing. Two distinct update arrays alternate.
/// </summary>
public static class AggregationThroughput
{
    /// <summary>GB/s of folding <paramref name="clients"/> updates of the given arrays (median of <paramref name="repeats"/>).</summary>
    public static double Fold(float[][] updates, int clients, int repeats)
    {
        var layout = new[] { new TensorSpec { Name = "w", Dtype = DType.Float32, Shape = { updates[0].LongLength } } };
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var sum = new RunningSum((_, n) => n, layout); // FedAvg's weights
            sum.Fold([updates[1]], 1); // allocates and touches the sum
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < clients; i++) sum.Fold([updates[i % updates.Length]], 10 + i);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return (double)clients * updates[0].LongLength * sizeof(float) / Median(times) / 1e9;
    }

    /// <summary>GB/s of copying the same bytes single-threaded (median of <paramref name="repeats"/>).</summary>
    public static double Copy(float[][] updates, int clients, int repeats)
    {
        var destination = new float[updates[0].Length];
        updates[0].AsSpan().CopyTo(destination);
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < clients; i++) updates[i % updates.Length].AsSpan().CopyTo(destination);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return (double)clients * updates[0].LongLength * sizeof(float) / Median(times) / 1e9;
    }

    /// <summary>The median.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
