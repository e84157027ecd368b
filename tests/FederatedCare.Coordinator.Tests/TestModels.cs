using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Small models for tests: a logistic regression with weight [1, 2] and bias [1].</summary>
internal static class TestModels
{
    public static ModelParameters LogReg(float[] weight, float bias) => new([
        new NamedTensor("linear.weight", [1, weight.Length], weight),
        new NamedTensor("linear.bias", [1], [bias]),
    ]);

    public static ModelParameters Random(int parameters, int seed)
    {
        var random = new Random(seed);
        var a = new float[parameters - 1000];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
        var b = new float[1000];
        for (int i = 0; i < b.Length; i++) b[i] = (float)random.NextDouble();
        return new ModelParameters([new NamedTensor("big.weight", [a.Length / 4, 4], a), new NamedTensor("big.bias", [1000], b)]);
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "fedcare-coordinator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
