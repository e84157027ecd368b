using BenchmarkDotNet.Attributes;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Benchmarks.Micro;

/// <summary>BenchmarkDotNet: narrowing 1 M float32 values to float16/bfloat16 for the wire and widening them back.</summary>
public class EncodingBenchmarks
{
    private readonly float[] _values = Enumerable.Range(0, 1 << 20).Select(i => (i % 997 - 498) * 1e-3f).ToArray();
    private readonly byte[] _wire = new byte[2 << 20];
    private readonly float[] _decoded = new float[1 << 20];

    /// <summary>The wire encoding.</summary>
    [Params(DType.Float16, DType.Bfloat16)]
    public DType Encoding { get; set; }

    /// <summary>float32 → wire.</summary>
    [Benchmark]
    public void Encode() => UpdateEncoding.Encode(_values, Encoding, _wire);

    /// <summary>wire → float32.</summary>
    [Benchmark]
    public void Decode() => UpdateEncoding.Decode(_wire, Encoding, _decoded);
}
