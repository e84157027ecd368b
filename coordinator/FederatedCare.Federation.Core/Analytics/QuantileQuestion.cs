namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// One question a region answers in a round of <see cref="Table1QuantileProtocol"/>: how many of its values of
/// <paramref name="Variable"/> are at or below <paramref name="Threshold"/>.
/// </summary>
/// <param name="Variable">The numeric column.</param>
/// <param name="Pooled">The question serves the pooled search (all regions' counts summed) rather than the region's own.</param>
/// <param name="Path">The order statistic's path within that search (the region checks each path is a bisection).</param>
/// <param name="Threshold">The threshold.</param>
public readonly record struct QuantileQuestion(string Variable, bool Pooled, int Path, double Threshold);
