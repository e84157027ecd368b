using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Training;

public sealed class DeltaClippingTests
{
    private static ModelParameters Delta(float[] weight, float bias) => new([
        new NamedTensor("linear.weight", [1, weight.Length], weight),
        new NamedTensor("linear.bias", [1], [bias]),
    ]);

    private static ModelParameters Random(int parameters, int seed, float scale)
    {
        var random = new Random(seed);
        var values = new float[parameters];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return new ModelParameters([new NamedTensor("w", [parameters], values)]);
    }

    // What the coordinator decodes from the node's upload.
    private static ModelParameters Received(ModelParameters delta, DType encoding)
    {
        var chunks = ModelStream.ToChunks(delta, encoding).ToList();
        using var assembler = new ModelAssembler(chunks[0].Manifest);
        foreach (var chunk in chunks.Skip(1)) assembler.Append(chunk);
        return assembler.Complete();
    }

    [Fact]
    public void A_delta_within_C_is_left_exactly_as_it_is()
    {
        var delta = Delta([0.3f, -0.4f], 0f);
        Assert.Equal(0.5, DeltaClipping.Clip(delta, 1.0, DType.Float32), 6);
        Assert.Equal([0.3f, -0.4f], delta.Tensors[0].Values);
        Assert.Equal(0f, delta.Tensors[1].Values[0]);
    }

    [Fact]
    public void A_longer_float32_delta_is_scaled_to_C()
    {
        var delta = Delta([3f, 0f], 4f);
        Assert.Equal(5.0, DeltaClipping.Clip(delta, 1.0, DType.Float32));
        Assert.Equal(0.6f, delta.Tensors[0].Values[0], 1e-6f);
        Assert.Equal(0.8f, delta.Tensors[1].Values[0], 1e-6f);
        Assert.InRange(UpdateNorm.L2(delta), 1 - 1e-6, 1 + DeltaClipping.Tolerance);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Bfloat16)]
    public void The_norm_the_coordinator_decodes_is_within_C_whatever_the_encoding(DType encoding)
    {
        var delta = Random(10_000, seed: 7, scale: 0.05f); // ‖Δ‖ ≈ 2.9
        DeltaClipping.Clip(delta, 0.5, encoding);
        double received = UpdateNorm.L2(Received(delta, encoding));
        Assert.Equal(UpdateNorm.L2AsDecoded(delta, encoding), received); // the node measures exactly what arrives
        Assert.InRange(received, 0.5 * (1 - 0.01), 0.5 * (1 + DeltaClipping.Tolerance));
    }
}
