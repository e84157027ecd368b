namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// One question of the coordinator's quantile protocol: how many of the region's values of
/// <paramref name="Variable"/> are at or below <paramref name="Threshold"/>.
/// </summary>
/// <param name="Variable">The numeric column.</param>
/// <param name="Pooled">For the pooled search (otherwise the region's own).</param>
/// <param name="Path">The order statistic's path within that search.</param>
/// <param name="Threshold">The threshold: must be the next bisection step of the path.</param>
public readonly record struct ThresholdQuestion(string Variable, bool Pooled, int Path, double Threshold);
