namespace FederatedCare.Federation.Core.Analytics;

/// <summary>One question of a quantile search: how many rows have a value at or below <paramref name="Threshold"/>?</summary>
/// <param name="Path">Which order statistic's bisection it belongs to (0-based within its search).</param>
/// <param name="Threshold">The threshold: the double at the middle key of the path's interval.</param>
public readonly record struct BisectionProbe(int Path, double Threshold);
