namespace FederatedCare.Federation.Core.Strategies;

/// <summary>The coordinate-wise median takes no parameters; <see cref="Parse"/> refuses any.</summary>
public sealed record MedianOptions
{
    /// <summary>Checks that no parameter is given.</summary>
    /// <exception cref="ArgumentException">A parameter is given; the message names it.</exception>
    public static MedianOptions Parse(IReadOnlyDictionary<string, double> parameters)
    {
        _ = new StrategyParameters(Median.StrategyName, parameters);
        return new MedianOptions();
    }
}
