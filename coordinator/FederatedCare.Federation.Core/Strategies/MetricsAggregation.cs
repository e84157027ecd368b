using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Strategies;

/// <summary>Example-weighted means of per-region evaluation metrics, the usual federated evaluation summary.</summary>
public static class MetricsAggregation
{
    /// <summary>Region name of an aggregate entry.</summary>
    public const string AllRegions = "*";

    /// <summary>The extra metric nodes report for ROC AUC; absent where a region's rows hold a single class.</summary>
    public const string Auc = WireNames.Metrics.Auc;

    /// <summary>
    /// Per split: loss and accuracy averaged over every region with weights num_examples (regions with 0 examples
    /// drop out); each extra metric (e.g. <see cref="Auc"/>) the same way over the regions that reported it only, so
    /// an undefined AUC is never counted as 0 (and NaN never gets here: reports with non-finite values are rejected).
    /// In region order so the result is reproducible. Splits where no region has examples are skipped.
    /// </summary>
    public static IReadOnlyList<RegionMetrics> WeightedMean(IReadOnlyList<RegionMetrics> metrics)
    {
        var result = new List<RegionMetrics>();
        foreach (var split in metrics.GroupBy(m => m.Split).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = split.Where(m => m.NumExamples > 0).OrderBy(m => m.Region, StringComparer.Ordinal).ToList();
            long n = rows.Sum(m => m.NumExamples);
            if (n == 0) continue;
            var mean = new RegionMetrics
            {
                Region = AllRegions,
                Round = rows[0].Round,
                Split = split.Key,
                NumExamples = n,
                Loss = rows.Sum(m => m.NumExamples * m.Loss) / n,
                Accuracy = rows.Sum(m => m.NumExamples * m.Accuracy) / n,
            };
            foreach (var key in rows.SelectMany(m => m.Extra.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                var having = rows.Where(m => m.Extra.ContainsKey(key)).ToList();
                long k = having.Sum(m => m.NumExamples);
                mean.Extra[key] = having.Sum(m => m.NumExamples * m.Extra[key]) / k;
            }
            result.Add(mean);
        }
        return result;
    }
}
