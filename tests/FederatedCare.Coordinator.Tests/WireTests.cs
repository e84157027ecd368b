using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Chunked transfer, encodings and manifest limits, without a network.</summary>
public class WireTests
{
    private static async IAsyncEnumerable<ModelChunk> Rechunk(IEnumerable<ModelChunk> chunks, int[] sizes)
    {
        var list = chunks.ToList();
        yield return list[0];
        var payload = list.Skip(1).SelectMany(c => c.Data.ToByteArray()).ToArray();
        for (int at = 0, i = 0; at < payload.Length; i++)
        {
            int n = Math.Min(sizes[i % sizes.Length], payload.Length - at);
            yield return new ModelChunk { Data = Google.Protobuf.ByteString.CopyFrom(payload, at, n) };
            at += n;
        }
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.Bfloat16)]
    public async Task Any_chunking_even_inside_an_element_reassembles_the_model(DType encoding)
    {
        var model = TestModels.Random(10_000, seed: 5);
        var back = await ModelStream.ReadAsync(Rechunk(ModelStream.ToChunks(model, encoding, 4096), [1, 3, 7, 1000, 5]));
        Assert.Equal(model.Tensors.Select(t => t.Name), back.Tensors.Select(t => t.Name));
        if (encoding == DType.Float32) Assert.Equal(model.ComputeSha256(), back.ComputeSha256());
        float relative = encoding == DType.Float16 ? MathF.Pow(2, -11) : encoding == DType.Bfloat16 ? MathF.Pow(2, -8) : 0;
        for (int t = 0; t < model.Tensors.Count; t++)
            for (int i = 0; i < model.Tensors[t].Values.Length; i++)
            {
                float x = model.Tensors[t].Values[i], y = back.Tensors[t].Values[i];
                Assert.True(Math.Abs(x - y) <= Math.Abs(x) * relative + MathF.Pow(2, -25), $"{x} vs {y}");
            }
    }

    [Fact]
    public void Float16_falls_back_to_float32_for_a_tensor_beyond_its_range()
    {
        var model = TestModels.LogReg([1e6f, 2f], 0.5f);
        var manifest = ModelStream.ToChunks(model, DType.Float16).First().Manifest;
        Assert.Equal([DType.Float32, DType.Float16], manifest.Tensors.Select(t => t.Dtype));
        Assert.Equal(2 * 4 + 1 * 2, manifest.TotalBytes);
    }

    [Fact]
    public void A_manifest_over_the_limit_or_inconsistent_is_refused_before_allocating()
    {
        var huge = new ModelManifest { TotalBytes = 4L << 40, Tensors = { new TensorSpec { Name = "w", Dtype = DType.Float32, Shape = { 1L << 40 } } } };
        Assert.Throws<InvalidDataException>(() => new ModelAssembler(huge));
        var overflow = new ModelManifest { TotalBytes = 4, Tensors = { new TensorSpec { Name = "w", Dtype = DType.Float32, Shape = { long.MaxValue, 4 } } } };
        Assert.Throws<InvalidDataException>(() => new ModelAssembler(overflow));
        var small = new ModelManifest { TotalBytes = 4000, Tensors = { new TensorSpec { Name = "w", Dtype = DType.Float32, Shape = { 1000 } } } };
        Assert.Contains("allowed", Assert.Throws<InvalidDataException>(() => new ModelAssembler(small, maxModelBytes: 1000)).Message);
    }

    [Fact]
    public async Task A_stream_announcing_another_model_is_refused()
    {
        var model = TestModels.LogReg([1f, 2f], 0.5f);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            ModelStream.ReadAsync(Rechunk(ModelStream.ToChunks(model), [4]), expectedSha256: new string('a', 64)));
        Assert.Contains("Asked for model", error.Message);
    }
}
