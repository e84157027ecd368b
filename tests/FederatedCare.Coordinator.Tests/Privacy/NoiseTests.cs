using FederatedCare.Federation.Core.Privacy;

namespace FederatedCare.Coordinator.Tests.Privacy;

public class NoiseTests
{
    [Fact]
    public void A_keyed_source_repeats_its_stream_for_its_key_only()
    {
        double[] Draw(byte fill)
        {
            using var source = new KeyedRandomSource(Enumerable.Repeat(fill, 32).ToArray());
            return Enumerable.Range(0, 1000).Select(_ => source.NextDouble()).ToArray();
        }
        var a = Draw(7);
        Assert.Equal(a, Draw(7));
        Assert.NotEqual(a, Draw(8));
        Assert.All(a, x => Assert.InRange(x, 0, 1 - 1e-16));
        Assert.InRange(a.Average(), 0.45, 0.55);
        Assert.Throws<ArgumentException>(() => new KeyedRandomSource(new byte[16]));
    }

    [Fact]
    public void The_noise_key_file_is_created_once_and_reused()
    {
        var path = Path.Combine(TestModels.TempDirectory(), "privacy-noise.key");
        double First(NoiseKey key)
        {
            using var source = key.ForRound("job", 42, 1);
            return source.NextDouble();
        }
        double value = First(new NoiseKey(path));
        Assert.Equal(32, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(value, First(new NoiseKey(path)));

        File.WriteAllBytes(path, new byte[5]);
        Assert.Throws<InvalidDataException>(() => First(new NoiseKey(path)));
    }
}
