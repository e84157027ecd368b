using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Agent;

public sealed class AgentPiecesTests
{
    [Fact]
    public void Backoff_grows_to_the_cap_with_jitter_and_resets()
    {
        var backoff = new ReconnectBackoff(new ReconnectOptions { InitialDelayMs = 100, MaxDelayMs = 1000, Multiplier = 2, Jitter = 0.5 }, new Random(1));
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        Assert.InRange(delays[0], 50, 100);
        Assert.InRange(delays[1], 100, 200);
        Assert.All(delays.Skip(4), d => Assert.InRange(d, 500, 1000));
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 50, 100);
    }

    [Fact]
    public void Model_cache_evicts_the_least_recently_used()
    {
        static ModelParameters M(float v) => new([new NamedTensor("w", [1], [v])]);
        var cache = new ModelCache(2);
        cache.Add("a", M(1));
        cache.Add("b", M(2));
        Assert.True(cache.TryGet("a", out _)); // a is now the most recent
        cache.Add("c", M(3));
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(1f, a.Tensors[0].Values[0]);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Options_validation_names_each_bad_key()
    {
        var result = new NodeAgentOptionsValidator().Validate(null, new NodeAgentOptions
        {
            Region = "",
            CoordinatorAddress = "127.0.0.1:5050",
            TorchThreads = 0,
            Device = "tpu",
            Datasets = { ["heart-disease"] = new DatasetOptions { Path = "", Format = "xlsx", MinRows = 0, TestFraction = 1 } },
            Reconnect = new ReconnectOptions { InitialDelayMs = 500, MaxDelayMs = 100 },
        });
        Assert.True(result.Failed);
        foreach (var key in new[] { "NodeAgent:Region", "NodeAgent:CoordinatorAddress", "NodeAgent:TorchThreads", "NodeAgent:Device",
                     "NodeAgent:Datasets:heart-disease:Path", "NodeAgent:Datasets:heart-disease:Format", "NodeAgent:Datasets:heart-disease:MinRows", "NodeAgent:Datasets:heart-disease:TestFraction", "NodeAgent:Reconnect:MaxDelayMs" })
            Assert.Contains(result.Failures!, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_options_pass()
    {
        var result = new NodeAgentOptionsValidator().Validate(null, new NodeAgentOptions
        {
            Region = "Halland",
            Datasets = { ["heart-disease"] = new DatasetOptions { Path = "processed.va.data" } },
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
    }
}
