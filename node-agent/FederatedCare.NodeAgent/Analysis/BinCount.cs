namespace FederatedCare.NodeAgent.Analysis;

/// <summary>A region's rows in one time bin (binned mode): bin <c>k</c> holds the times in <c>[k·w, (k+1)·w)</c>.</summary>
/// <param name="Bin">The bin index k ≥ 0.</param>
/// <param name="AtRisk">Rows whose time is at or after the bin's start.</param>
/// <param name="Events">Rows with the event in the bin.</param>
/// <param name="Censored">Rows censored in the bin.</param>
public readonly record struct BinCount(long Bin, long AtRisk, long Events, long Censored);
