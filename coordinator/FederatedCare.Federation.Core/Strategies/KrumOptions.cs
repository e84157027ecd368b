namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// Krum parameters: <c>num_byzantine</c> (f, an integer ≥ 0, default 1), the number of Byzantine clients tolerated;
/// <c>num_selected</c> (m, an integer ≥ 1, default 1): 1 is Krum, more is multi-Krum averaging the m best-scored updates.
/// </summary>
public sealed record KrumOptions(int NumByzantine = 1, int NumSelected = 1)
{
    /// <summary>Parses strategy parameters.</summary>
    /// <exception cref="ArgumentException">Unknown parameter or an out-of-range value; the message names it.</exception>
    public static KrumOptions Parse(IReadOnlyDictionary<string, double> parameters)
    {
        var p = new StrategyParameters(Krum.StrategyName, parameters, "num_byzantine", "num_selected");
        return new KrumOptions(p.Count("num_byzantine", 1, 0), p.Count("num_selected", 1, 1));
    }
}
