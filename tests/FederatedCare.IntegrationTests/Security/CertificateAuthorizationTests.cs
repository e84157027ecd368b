using FederatedCare.Protos.V1;
using Grpc.Core;
using FederationClient = FederatedCare.Protos.V1.Federation.FederationClient;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>Over real loopback gRPC with mutual TLS: what each certificate's role and name let it call.</summary>
public sealed class CertificateAuthorizationTests(TlsCoordinatorFixture fixture) : IClassFixture<TlsCoordinatorFixture>
{
    private readonly TestPki _pki = fixture.Pki;
    private readonly Uri _address = fixture.Coordinator.Address;

    [Fact]
    public void The_coordinator_serves_https_only()
    {
        Assert.Equal(Uri.UriSchemeHttps, _address.Scheme);
    }

    [Fact]
    public async Task A_researcher_reads_jobs_but_may_not_start_one_and_the_refusal_is_audited()
    {
        using var channel = _pki.Channel(_address, TestPki.Bob);

        await new Research.ResearchClient(channel).ListJobsAsync(new ListJobsRequest());
        var e = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel)
            .StartJobAsync(new StartJobRequest { Spec = new JobSpec { Name = "not-allowed" } }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("researcher 'bob' may not call Operator/StartJob.", e.Status.Detail);
        Assert.Contains(await fixture.Store.Audit.ListAsync(), a =>
            a is { Actor: "researcher:bob", Action: "access.denied" } && a.Detail.Contains("Operator/StartJob", StringComparison.Ordinal));
        Assert.DoesNotContain(await fixture.Store.Jobs.ListAsync(), j => j.Spec.Name == "not-allowed");
    }

    [Fact]
    public async Task An_operator_may_read_research_results_and_list_nodes()
    {
        using var channel = _pki.Channel(_address, TestPki.Alice);

        await new Research.ResearchClient(channel).ListJobsAsync(new ListJobsRequest());
        await new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest());
    }

    [Fact]
    public async Task Only_an_operator_reads_the_audit_chain_a_bounded_page_at_a_time()
    {
        using var alice = _pki.Channel(_address, TestPki.Alice);
        using var bob = _pki.Channel(_address, TestPki.Bob);
        var operatorClient = new Operator.OperatorClient(alice);

        await operatorClient.ListNodesAsync(new ListNodesRequest());
        var page = await operatorClient.ListAuditAsync(new ListAuditRequest { Limit = 1 });
        var researcher = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(bob).ListAuditAsync(new ListAuditRequest()).ResponseAsync);
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => operatorClient.ListAuditAsync(new ListAuditRequest { Limit = 1001 }).ResponseAsync);

        Assert.True(page.Records.Count <= 1);
        Assert.Equal((StatusCode.PermissionDenied, "researcher 'bob' may not call Operator/ListAudit."), (researcher.StatusCode, researcher.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("limit must be between 1 and 1000", tooMany.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_may_call_neither_the_operator_nor_the_research_service()
    {
        using var channel = _pki.Channel(_address, TestPki.Node("Halland"));

        var op = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest()).ResponseAsync);
        var research = await Assert.ThrowsAsync<RpcException>(() => new Research.ResearchClient(channel).ListJobsAsync(new ListJobsRequest()).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "node 'Halland' may not call Operator/ListNodes."), (op.StatusCode, op.Status.Detail));
        Assert.Equal((StatusCode.PermissionDenied, "node 'Halland' may not call Research/ListJobs."), (research.StatusCode, research.Status.Detail));
    }

    [Fact]
    public async Task An_operator_may_not_call_the_federation_service()
    {
        using var channel = _pki.Channel(_address, TestPki.Alice);

        var e = await Assert.ThrowsAsync<RpcException>(() => new FederationClient(channel)
            .RegisterAsync(new RegisterRequest { Region = "alice" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("operator 'alice' may not call Federation/Register.", e.Status.Detail);
    }

    [Fact]
    public async Task Refused_calls_of_one_caller_are_audited_up_to_its_burst_and_then_counted()
    {
        // A region of its own, so that no other test's caller shares the rate limit.
        using var channel = _pki.Channel(_address, TestPki.Node("Bornholm"));
        var research = new Research.ResearchClient(channel);

        for (int i = 0; i < 60; i++)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => research.ListJobsAsync(new ListJobsRequest()).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        }

        // RefusalAudit's default burst is 20 entries per caller; the rest are only counted.
        var entries = (await fixture.Store.Audit.ListAsync()).Where(a => a.Actor == "node:Bornholm").ToList();
        Assert.InRange(entries.Count, 1, 21);
        Assert.All(entries, a => Assert.Equal("access.denied", a.Action));
    }

    [Fact]
    public async Task A_node_certificate_registers_only_as_its_own_region()
    {
        using var channel = _pki.Channel(_address, TestPki.Node("Halland"));

        var e = await Assert.ThrowsAsync<RpcException>(() => new FederationClient(channel)
            .RegisterAsync(new RegisterRequest { Region = "Karolinska" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("'Halland'", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("'Karolinska'", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(await fixture.Store.Audit.ListAsync(), a => a is { Actor: "node:Halland", Action: "access.denied" });
    }

    [Fact]
    public async Task A_node_id_is_used_only_by_the_certificate_of_the_region_that_registered_it()
    {
        // Gotland has a certificate but no agent: registering it here takes no region from a running agent.
        using var gotlandChannel = _pki.Channel(_address, TestPki.Node("Gotland"));
        var gotland = new FederationClient(gotlandChannel);
        var nodeId = (await gotland.RegisterAsync(new RegisterRequest { Region = "Gotland" })).NodeId;
        await gotland.HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId });

        using var karolinskaChannel = _pki.Channel(_address, TestPki.Node("Karolinska"));
        var e = await Assert.ThrowsAsync<RpcException>(() => new FederationClient(karolinskaChannel)
            .HeartbeatAsync(new HeartbeatRequest { NodeId = nodeId }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal($"node 'Karolinska' may not act as node {nodeId}, which region 'Gotland' registered.", e.Status.Detail);
    }

    [Fact]
    public async Task Health_checks_are_open_to_every_role()
    {
        foreach (var identity in new[] { TestPki.Alice, TestPki.Bob, TestPki.Node("Örebro") })
        {
            using var channel = _pki.Channel(_address, identity);
            var reply = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
            Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        }
    }
}
