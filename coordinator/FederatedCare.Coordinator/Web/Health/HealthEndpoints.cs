using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Web.Health;

/// <summary>
/// The HTTP probes a load balancer or Kubernetes can call without a federation certificate: <c>/healthz</c> (liveness:
/// the process answers) and <c>/readyz</c> (readiness: the store's own health check, a query on the database and a
/// write probe in the model folder, as the gRPC health service <c>store</c> reports it). 200 with <c>ok</c>, or 503; the
/// store's reason (which may name paths or servers) stays out of the open answer: gRPC health and the log have it.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder web)
    {
        web.MapGet("/healthz", () => Results.Text("ok\n"));
        web.MapGet("/readyz", async (ICoordinatorStore store, CancellationToken ct) =>
        {
            var health = await store.CheckHealthAsync(ct).ConfigureAwait(false);
            return health.Healthy
                ? Results.Text("ok\n")
                : Results.Text("not ready: the store (database or model folder) fails its health check\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
