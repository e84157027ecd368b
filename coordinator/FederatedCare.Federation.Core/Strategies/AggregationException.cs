namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// A round's updates cannot be aggregated by the job's strategy (e.g. Krum needs n &gt; 2f + 2 updates). The job fails
/// with this message, prefixed by the round.
/// </summary>
public sealed class AggregationException(string message) : Exception(message);
