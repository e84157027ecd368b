using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>FedProx parameters: <c>mu</c> (μ ≥ 0, default 0.01), the weight of the proximal term nodes add to their loss.</summary>
public sealed record FedProxOptions(double Mu = 0.01)
{
    /// <summary>Parses strategy parameters.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or an out-of-range value; the message names it.</exception>
    public static FedProxOptions Parse(IReadOnlyDictionary<string, double> parameters)
    {
        var p = new StrategyParameters(FedProx.StrategyName, parameters, WireNames.Strategies.FedProxMu);
        return new FedProxOptions(p.Real(WireNames.Strategies.FedProxMu, 0.01, v => v >= 0, "a finite number >= 0"));
    }
}
