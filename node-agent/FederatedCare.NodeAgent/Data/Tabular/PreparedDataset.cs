using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>A region's data prepared for one job: what it reports, what stays home, and the dataset to train on.</summary>
/// <param name="Statistics">The aggregates the job's schema lets the region report (counts; sums with federated z-score).</param>
/// <param name="Profile">The local data profile (never sent).</param>
/// <param name="Data">The normalised dataset; null while federated statistics are still to come.</param>
public sealed record PreparedDataset(LocalStatistics Statistics, DataProfile Profile, LocalDataset? Data);
