namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Parameters of <c>fedadagrad</c>, <c>fedadam</c> and <c>fedyogi</c> (Reddi et al. 2021; defaults as FLamby):
/// <c>server_learning_rate</c> (η &gt; 0, default 0.01), <c>beta1</c> and <c>beta2</c> (in [0, 1), defaults 0.9 and
/// 0.999), <c>tau</c> (adaptivity τ &gt; 0, default 1e-8).
/// </summary>
public sealed record FedOptOptions(double ServerLearningRate = 0.01, double Beta1 = 0.9, double Beta2 = 0.999, double Tau = 1e-8)
{
    /// <summary>Parses the parameters of the named strategy.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or an out-of-range value; the message names it.</exception>
    public static FedOptOptions Parse(string strategy, IReadOnlyDictionary<string, double> parameters)
    {
        var p = new StrategyParameters(strategy, parameters, "server_learning_rate", "beta1", "beta2", "tau");
        return new FedOptOptions(
            p.Real("server_learning_rate", 0.01, v => v > 0, "a finite number > 0"),
            p.Real("beta1", 0.9, v => v is >= 0 and < 1, "in [0, 1)"),
            p.Real("beta2", 0.999, v => v is >= 0 and < 1, "in [0, 1)"),
            p.Real("tau", 1e-8, v => v > 0, "a finite number > 0"));
    }
}
