using BenchmarkDotNet.Attributes;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Benchmarks.Micro;

/// <summary>
/// BenchmarkDotNet: folding one update of P parameters into a FedAvg running sum (parallel TensorPrimitives
/// MultiplyAdd) against a single-threaded copy of the same bytes (the baseline). Throughput = 4·P bytes / mean time.
/// </summary>
[MemoryDiagnoser]
public class AggregationBenchmarks
{
    private float[] _update = [];
    private float[] _destination = [];
    private RunningSum _sum = null!;

    /// <summary>Parameters per update.</summary>
    [Params(1_000_000, 10_000_000)]
    public int P { get; set; }

    /// <summary>Allocates and touches the buffers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _update = Enumerable.Range(0, P).Select(i => (i % 997) * 1e-3f).ToArray();
        _destination = new float[P];
        _sum = new RunningSum((_, n) => n,
            [new TensorSpec { Name = "w", Dtype = DType.Float32, Shape = { P } }]);
        _sum.Fold([_update], 1);
    }

    /// <summary>Single-threaded memory copy of the update's bytes.</summary>
    [Benchmark(Baseline = true)]
    public void Copy() => _update.AsSpan().CopyTo(_destination);

    /// <summary>One streaming fold.</summary>
    [Benchmark]
    public void Fold() => _sum.Fold([_update], 7);
}
