using System.Globalization;

namespace FederatedCare.Coordinator.Strategies;

/// <summary>
/// FedAvg parameters, read from <c>StrategySpec.parameters</c>: <c>server_learning_rate</c> (η, default 1: plain
/// FedAvg) and <c>weighted</c> (1 = weight clients by num_examples as McMahan et al.; 0 = uniform mean).
/// </summary>
public sealed record FedAvgOptions(double ServerLearningRate = 1.0, bool Weighted = true)
{
    /// <summary>Parses strategy parameters.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or an out-of-range value; the message names it.</exception>
    public static FedAvgOptions Parse(IReadOnlyDictionary<string, double> parameters)
    {
        var options = new FedAvgOptions();
        foreach (var (key, value) in parameters)
        {
            options = key switch
            {
                "server_learning_rate" when double.IsFinite(value) && value > 0 => options with { ServerLearningRate = value },
                "server_learning_rate" => throw new ArgumentException(
                    $"spec.strategy.parameters.server_learning_rate must be a finite number > 0, got {value.ToString(CultureInfo.InvariantCulture)}."),
                "weighted" when value is 0 or 1 => options with { Weighted = value == 1 },
                "weighted" => throw new ArgumentException("spec.strategy.parameters.weighted must be 0 or 1."),
                _ => throw new ArgumentException(
                    $"spec.strategy.parameters.{key} is not a fedavg parameter (known: server_learning_rate, weighted)."),
            };
        }
        return options;
    }
}
