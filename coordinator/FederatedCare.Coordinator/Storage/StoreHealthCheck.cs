using FederatedCare.Federation.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FederatedCare.Coordinator.Storage;

/// <summary>
/// The "store" health check (gRPC health service <c>store</c>, and the overall status): a real query on the database
/// and a write probe in the model folder, so a lost database server or a full or read-only disk answers NotServing.
/// </summary>
internal sealed class StoreHealthCheck(ICoordinatorStore store) : IHealthCheck
{
    /// <summary>The check's name, also the gRPC health service name.</summary>
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return health.Healthy ? HealthCheckResult.Healthy(health.Description) : HealthCheckResult.Unhealthy(health.Description);
    }
}
