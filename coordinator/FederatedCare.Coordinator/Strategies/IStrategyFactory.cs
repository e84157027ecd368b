using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Strategies;

/// <summary>Creates one kind of strategy from a job's <see cref="StrategySpec"/>; registered in DI, found by name.</summary>
public interface IStrategyFactory
{
    /// <summary>The strategy name jobs use, lower case.</summary>
    string Name { get; }

    /// <summary>Creates the strategy.</summary>
    /// <exception cref="ArgumentException">A parameter is unknown or out of range; the message names it.</exception>
    IStrategy Create(StrategySpec spec);
}

/// <summary>The <see cref="FedAvg"/> factory.</summary>
public sealed class FedAvgFactory : IStrategyFactory
{
    /// <inheritdoc/>
    public string Name => FedAvg.StrategyName;

    /// <inheritdoc/>
    public IStrategy Create(StrategySpec spec) => new FedAvg(FedAvgOptions.Parse(spec.Parameters));
}
