using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Security;

/// <summary>
/// Which certificate roles may call which service: Federation is for node agents, Operator for operators, Research
/// (read-only) for researchers and operators. Researchers may also read a job's status and follow it (Operator/GetJob
/// and Operator/WatchJob: <c>fedcare status</c> and <c>watch</c>), never start, abort or delete one, list nodes or read
/// the audit log. Health checks and reflection are open to every federation certificate: they say nothing about jobs
/// or data. Any other service is closed.
/// </summary>
internal static class ServiceAccess
{
    private static readonly Dictionary<string, string[]> RolesByService = new(StringComparer.Ordinal)
    {
        [Protos.V1.Federation.Descriptor.FullName] = [FederationRoles.Node],
        [Operator.Descriptor.FullName] = [FederationRoles.Operator],
        [Research.Descriptor.FullName] = [FederationRoles.Researcher, FederationRoles.Operator],
    };

    // The read-only Operator methods a researcher may call, by method name.
    private static readonly string[] ResearcherOperatorMethods = [nameof(Operator.OperatorBase.GetJob), nameof(Operator.OperatorBase.WatchJob)];

    private static readonly string[] OpenServicePrefixes = ["grpc.health.", "grpc.reflection."];

    public static bool Allows(string role, string service) =>
        RolesByService.TryGetValue(service, out var roles)
            ? roles.Contains(role, StringComparer.Ordinal)
            : OpenServicePrefixes.Any(prefix => service.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="role"/> may call <paramref name="method"/>: its service's roles, or one of the researcher's read-only Operator methods.</summary>
    public static bool Allows(string role, GrpcMethod method) =>
        Allows(role, method.Service)
        || (role == FederationRoles.Researcher && method.Service == Operator.Descriptor.FullName
            && ResearcherOperatorMethods.Contains(method.Method, StringComparer.Ordinal));
}
