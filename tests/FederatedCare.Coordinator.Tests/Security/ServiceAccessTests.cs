using FederatedCare.Coordinator.Security;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Tests.Security;

/// <summary>Which certificate role may call which service, and how refusals name the method.</summary>
public sealed class ServiceAccessTests
{
    [Theory]
    [InlineData(FederationRoles.Node, "federatedcare.v1.Federation", true)]
    [InlineData(FederationRoles.Operator, "federatedcare.v1.Federation", false)]
    [InlineData(FederationRoles.Researcher, "federatedcare.v1.Federation", false)]
    [InlineData(FederationRoles.Node, "federatedcare.v1.Operator", false)]
    [InlineData(FederationRoles.Operator, "federatedcare.v1.Operator", true)]
    [InlineData(FederationRoles.Researcher, "federatedcare.v1.Operator", false)]
    [InlineData(FederationRoles.Node, "federatedcare.v1.Research", false)]
    [InlineData(FederationRoles.Operator, "federatedcare.v1.Research", true)]
    [InlineData(FederationRoles.Researcher, "federatedcare.v1.Research", true)]
    [InlineData(FederationRoles.Researcher, "grpc.health.v1.Health", true)]
    [InlineData(FederationRoles.Node, "grpc.reflection.v1alpha.ServerReflection", true)]
    [InlineData(FederationRoles.Operator, "federatedcare.v1.Unknown", false)]
    public void Roles_reach_their_services_only(string role, string service, bool allowed)
    {
        Assert.Equal(allowed, ServiceAccess.Allows(role, service));
    }

    [Theory]
    [InlineData(FederationRoles.Researcher, "GetJob", true)]
    [InlineData(FederationRoles.Researcher, "WatchJob", true)]
    [InlineData(FederationRoles.Researcher, "StartJob", false)]
    [InlineData(FederationRoles.Researcher, "AbortJob", false)]
    [InlineData(FederationRoles.Researcher, "ListNodes", false)]
    [InlineData(FederationRoles.Researcher, "ListAudit", false)]
    [InlineData(FederationRoles.Node, "GetJob", false)]
    [InlineData(FederationRoles.Operator, "StartJob", true)]
    public void Researchers_read_a_jobs_status_and_watch_it_but_nothing_else_of_Operator(string role, string method, bool allowed)
    {
        Assert.Equal(allowed, ServiceAccess.Allows(role, new GrpcMethod("federatedcare.v1.Operator", method)));
    }

    [Fact]
    public void A_method_path_is_named_by_service_and_method_without_the_package()
    {
        var method = GrpcMethod.Parse("/federatedcare.v1.Operator/StartJob");

        Assert.Equal(new GrpcMethod("federatedcare.v1.Operator", "StartJob"), method);
        Assert.Equal("Operator/StartJob", method.ToString());
    }
}
