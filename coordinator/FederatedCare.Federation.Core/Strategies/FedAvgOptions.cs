namespace FederatedCare.Federation.Core.Strategies;

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
        var p = new StrategyParameters(FedAvg.StrategyName, parameters, "server_learning_rate", "weighted");
        return new FedAvgOptions(
            p.Real("server_learning_rate", 1.0, v => v > 0, "a finite number > 0"),
            p.Flag("weighted", true));
    }
}
