namespace FederatedCare.Federation.Core.Strategies;

/// <summary>Trimmed-mean parameters: <c>beta</c> (β in [0, 0.5), default 0.1), the fraction trimmed at each end per coordinate.</summary>
public sealed record TrimmedMeanOptions(double Beta = 0.1)
{
    /// <summary>Parses strategy parameters.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or an out-of-range value; the message names it.</exception>
    public static TrimmedMeanOptions Parse(IReadOnlyDictionary<string, double> parameters)
    {
        var p = new StrategyParameters(TrimmedMean.StrategyName, parameters, "beta");
        return new TrimmedMeanOptions(p.Real("beta", 0.1, v => v is >= 0 and < 0.5, "in [0, 0.5)"));
    }
}
