using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests.Bounds;

/// <summary>
/// Over real gRPC: region identifiers are NFC-normalised where they enter (Register, spec.regions), so a decomposed
/// and a composed "Skåne" are one region, and a display name with spaces travels beside the identifier to ListNodes.
/// </summary>
public class RegionIdentityTests
{
    private const string ComposedSkane = "Sk\u00E5ne";
    private const string DecomposedSkane = "Ska\u030Ane";

    [Fact]
    public async Task A_decomposed_and_a_composed_Skane_register_as_one_region_listed_with_its_display_name()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var federation = new Protos.V1.Federation.FederationClient(coordinator.Channel);
        var operators = new Operator.OperatorClient(coordinator.Channel);

        await federation.RegisterAsync(new RegisterRequest { Region = DecomposedSkane, DisplayName = "Region Ska\u030Ane" });
        await federation.RegisterAsync(new RegisterRequest { Region = ComposedSkane, DisplayName = "Region Skåne" });
        await federation.RegisterAsync(new RegisterRequest { Region = "Jonkoping", DisplayName = "Region Jönköpings län" });

        var nodes = (await operators.ListNodesAsync(new ListNodesRequest())).Nodes;
        Assert.Equal([("Jonkoping", "Region Jönköpings län"), (ComposedSkane, "Region Skåne")], nodes.Select(n => (n.Region, n.DisplayName)));
    }

    [Fact]
    public async Task An_identifier_with_spaces_is_refused_pointing_to_the_display_name()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var federation = new Protos.V1.Federation.FederationClient(coordinator.Channel);

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await federation.RegisterAsync(new RegisterRequest { Region = "Region Jönköpings län" }));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("region: character ' ' (U+0020) at index 6 is not allowed; a region identifier has letters, digits, '-', '_' " +
            "and '.' only (no spaces: put those in the region's display name).", e.Status.Detail);
    }

    [Fact]
    public async Task A_decomposed_region_in_a_job_spec_is_stored_in_NFC()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var spec = JobSpecValidationTests.ValidSpec();
        spec.MinFitClients = 1;
        spec.MinAvailableClients = 1;
        spec.Regions.Add(DecomposedSkane);

        var job = await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = "skane" });

        Assert.Equal([ComposedSkane], job.Spec.Regions);
    }
}
