namespace FederatedCare.Federation.Core.Strategies;

/// <summary>SCAFFOLD parameters: <c>server_learning_rate</c> (global step size η_g &gt; 0, default 1 as in the paper's experiments).</summary>
public sealed record ScaffoldOptions(double ServerLearningRate = 1.0)
{
    /// <summary>Parses strategy parameters.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or an out-of-range value; the message names it.</exception>
    public static ScaffoldOptions Parse(IReadOnlyDictionary<string, double> parameters)
    {
        var p = new StrategyParameters(Scaffold.StrategyName, parameters, "server_learning_rate");
        return new ScaffoldOptions(p.Real("server_learning_rate", 1.0, v => v > 0, "a finite number > 0"));
    }
}
