namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>Who sent an update and what its header says, checked by the caller (job, round, base model) already.</summary>
/// <param name="NodeId">The node's id; one update per node and round counts.</param>
/// <param name="Region">The node's region; buffered rounds aggregate in ordinal region order.</param>
/// <param name="NumExamples">Local training examples (&gt; 0 in fit rounds).</param>
/// <param name="Metrics">The node's local training metrics, finite.</param>
public sealed record UpdateSender(string NodeId, string Region, long NumExamples, IReadOnlyDictionary<string, double> Metrics);
