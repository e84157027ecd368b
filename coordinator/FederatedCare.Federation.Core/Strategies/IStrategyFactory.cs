using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>Creates one kind of strategy from a job's <see cref="StrategySpec"/>; registered in DI, found by name.</summary>
public interface IStrategyFactory
{
    /// <summary>The strategy name jobs use, lower case.</summary>
    string Name { get; }

    /// <summary>Creates the strategy (a new instance per job: it may carry server state).</summary>
    /// <exception cref="ArgumentException">A parameter is unknown or out of range; the message names the strategy and parameter.</exception>
    IStrategy Create(StrategySpec spec);
}

/// <summary>A factory from a name and a function of the spec's parameters.</summary>
public sealed class StrategyFactory(string name, Func<IReadOnlyDictionary<string, double>, IStrategy> create) : IStrategyFactory
{
    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public IStrategy Create(StrategySpec spec) => create(spec.Parameters);
}

/// <summary>The strategies the coordinator ships with.</summary>
public static class BuiltInStrategies
{
    /// <summary>fedavg, fedprox, fedadagrad, fedadam, fedyogi, scaffold, median, trimmed_mean, krum.</summary>
    public static IReadOnlyList<IStrategyFactory> All { get; } =
    [
        new StrategyFactory(FedAvg.StrategyName, p => new FedAvg(FedAvgOptions.Parse(p))),
        new StrategyFactory(FedProx.StrategyName, p => new FedProx(FedProxOptions.Parse(p))),
        new StrategyFactory(FedAdagrad.StrategyName, p => new FedAdagrad(FedOptOptions.Parse(FedAdagrad.StrategyName, p))),
        new StrategyFactory(FedAdam.StrategyName, p => new FedAdam(FedOptOptions.Parse(FedAdam.StrategyName, p))),
        new StrategyFactory(FedYogi.StrategyName, p => new FedYogi(FedOptOptions.Parse(FedYogi.StrategyName, p))),
        new StrategyFactory(Scaffold.StrategyName, p => new Scaffold(ScaffoldOptions.Parse(p))),
        new StrategyFactory(Median.StrategyName, p => { MedianOptions.Parse(p); return new Median(); }),
        new StrategyFactory(TrimmedMean.StrategyName, p => new TrimmedMean(TrimmedMeanOptions.Parse(p))),
        new StrategyFactory(Krum.StrategyName, p => new Krum(KrumOptions.Parse(p))),
    ];
}
