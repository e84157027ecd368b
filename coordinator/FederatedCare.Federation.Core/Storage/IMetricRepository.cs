using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Per-region metrics in one table: federated rows (<see cref="MetricKind.Federated"/>, the global model of a round,
/// keyed by job, round, region, split) and cross-site rows (<see cref="MetricKind.CrossSite"/>, a labelled model,
/// keyed by job, model label, region, split).
/// </summary>
public interface IMetricRepository
{
    /// <summary>Inserts or replaces federated metrics, keyed by (job, round, region, split).</summary>
    Task SaveAsync(string jobId, IEnumerable<RegionMetrics> metrics, CancellationToken ct = default);

    /// <summary>
    /// Federated metrics of one round, or of all rounds when <paramref name="round"/> is null or negative (the Research
    /// API's -1); ordered by round, region, split.
    /// </summary>
    Task<IReadOnlyList<RegionMetrics>> ListAsync(string jobId, int? round, CancellationToken ct = default);

    /// <summary>Inserts or replaces cross-site validation cells, keyed by (job, model label, region, split).</summary>
    Task SaveCrossSiteAsync(string jobId, IEnumerable<CrossSiteEntry> entries, CancellationToken ct = default);

    /// <summary>The job's cross-site validation cells ordered by model label, region and split; empty when none.</summary>
    Task<IReadOnlyList<CrossSiteEntry>> ListCrossSiteAsync(string jobId, CancellationToken ct = default);
}

/// <summary>What a metrics row measured: the round's global model, or a labelled model under cross-site validation.</summary>
public enum MetricKind
{
    /// <summary>A region's metrics of a round's global model (model label empty).</summary>
    Federated = 0,

    /// <summary>A cell of the cross-site validation matrix (a labelled model on a region's data).</summary>
    CrossSite = 1,
}
