using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Security;
using FederatedCare.Coordinator.Web;
using FederatedCare.Federation.Core.Metrics;

namespace FederatedCare.Coordinator.Extensions;

/// <summary>The web endpoint's wiring (<c>Coordinator:Web</c>): the federation's meters and the dashboard server.</summary>
internal static class WebExtensions
{
    /// <summary>
    /// Registers <see cref="FederationMetrics"/> (connected nodes read from the <see cref="NodeRegistry"/>, a stale
    /// revocation list from <see cref="RevocationListFreshness"/>) and the
    /// <see cref="WebEndpointHost"/> that serves the dashboard, <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>.
    /// </summary>
    public static IServiceCollection AddCoordinatorWeb(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<NodeRegistry>();
            // Registered with mutual TLS only: without a revocation list there is nothing to be stale.
            var freshness = sp.GetService<RevocationListFreshness>();
            return new FederationMetrics(() => registry.All.Count(n => n.Connected && !n.IsEnded),
                freshness is null ? null : () => freshness.IsStale);
        });
        services.AddSingleton<WebEndpointHost>();
        services.AddHostedService(sp => sp.GetRequiredService<WebEndpointHost>());
        return services;
    }
}
