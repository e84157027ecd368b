using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Which certificate roles may call which service: Federation is for node agents, Operator for operators, Research
/// (read-only) for researchers and operators. Health checks and reflection are open to every federation certificate:
/// they say nothing about jobs or data. Any other service is closed.
/// </summary>
internal static class ServiceAccess
{
    private static readonly Dictionary<string, string[]> RolesByService = new(StringComparer.Ordinal)
    {
        [Protos.V1.Federation.Descriptor.FullName] = [FederationRoles.Node],
        [Operator.Descriptor.FullName] = [FederationRoles.Operator],
        [Research.Descriptor.FullName] = [FederationRoles.Researcher, FederationRoles.Operator],
    };

    private static readonly string[] OpenServicePrefixes = ["grpc.health.", "grpc.reflection."];

    public static bool Allows(string role, string service) =>
        RolesByService.TryGetValue(service, out var roles)
            ? roles.Contains(role, StringComparer.Ordinal)
            : OpenServicePrefixes.Any(prefix => service.StartsWith(prefix, StringComparison.Ordinal));
}
