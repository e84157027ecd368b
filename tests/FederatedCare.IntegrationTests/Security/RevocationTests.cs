using FederatedCare.Coordinator.Extensions;
using FederatedCare.Coordinator.Security;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using FederationClient = FederatedCare.Protos.V1.Federation.FederationClient;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// Over real loopback gRPC with mutual TLS: a certificate revoked with <c>fedcare provision --revoke</c> while the
/// coordinator runs is refused from the next call on (Unauthenticated on a connection already open, the handshake on a
/// new one), audited, and a node registered with it is dropped. Each test has its own CA and coordinator; the reload
/// is triggered explicitly (the poll is set to an hour), never by waiting for the timer.
/// </summary>
public sealed class RevocationTests : IAsyncLifetime
{
    private readonly TestPki _pki = TestPki.Provision();
    private RunningCoordinator _coordinator = null!;

    private Uri Address => _coordinator.Address;

    private TlsFileReloader Reloader => _coordinator.App.Services.GetRequiredService<TlsFileReloader>();

    private ICoordinatorStore Store => _coordinator.App.Services.GetRequiredService<ICoordinatorStore>();

    public async Task InitializeAsync() => _coordinator = await CoordinatorHost.StartAsync(
        [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", .. _pki.CoordinatorArgs(), "--Coordinator:Tls:ReloadSeconds=3600"]);

    public async Task DisposeAsync() => await _coordinator.DisposeAsync();

    [Fact]
    public async Task A_revoked_certificate_is_refused_on_its_open_connection_and_at_the_next_handshake_and_the_refusal_is_audited()
    {
        using var bob = _pki.Channel(Address, TestPki.Bob);
        using var alice = _pki.Channel(Address, TestPki.Alice);
        await new Research.ResearchClient(bob).ListJobsAsync(new ListJobsRequest());
        var serial = _pki.Certificate(TestPki.Bob).SerialNumber;

        _pki.Revoke("bob");
        Assert.True(await Reloader.ReloadIfChangedAsync());

        var refused = await Assert.ThrowsAsync<RpcException>(() => new Research.ResearchClient(bob).ListJobsAsync(new ListJobsRequest()).ResponseAsync);
        Assert.Equal((StatusCode.Unauthenticated, $"The certificate of researcher:bob (serial {serial}) is revoked by the federation CA."),
            (refused.StatusCode, refused.Status.Detail));
        Assert.Contains(await Store.Audit.ListAsync(), a => a is { Actor: "researcher:bob", Action: RevokedNodeEviction.AuditAction }
            && a.Detail.StartsWith("Research/ListJobs: The certificate of researcher:bob", StringComparison.Ordinal));
        using var again = _pki.Channel(Address, TestPki.Bob);
        var handshake = await Assert.ThrowsAsync<RpcException>(() => new Research.ResearchClient(again).ListJobsAsync(new ListJobsRequest()).ResponseAsync);
        // As in CertificateRejectionTests: the client sees the refused TLS 1.3 handshake while connecting or under its first request.
        Assert.Contains(handshake.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        await new Research.ResearchClient(alice).ListJobsAsync(new ListJobsRequest());
        Assert.False(await Reloader.ReloadIfChangedAsync(), "unchanged files are not loaded again");
    }

    [Fact]
    public async Task A_revoked_nodes_registration_is_dropped_and_its_task_stream_ends_with_unauthenticated()
    {
        // Gotland has a certificate but no agent in this federation.
        using var channel = _pki.Channel(Address, TestPki.Node("Gotland"));
        var gotland = new FederationClient(channel);
        var nodeId = (await gotland.RegisterAsync(new RegisterRequest { Region = "Gotland" })).NodeId;
        using var stream = gotland.WaitForTask(new WaitForTaskRequest { NodeId = nodeId }, new Metadata { { WireNames.Headers.NodeId, nodeId } });
        Assert.True(await stream.ResponseStream.MoveNext(), "the first ping");
        using var alice = _pki.Channel(Address, TestPki.Alice);
        var nodes = new Operator.OperatorClient(alice);
        var listed = Assert.Single((await nodes.ListNodesAsync(new ListNodesRequest())).Nodes);
        Assert.Equal(new DateTimeOffset(_pki.Certificate(TestPki.Node("Gotland")).NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds(),
            listed.CertificateNotAfterUnixMs);

        _pki.Revoke("node:Gotland");
        await Reloader.ReloadIfChangedAsync();

        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stream.ResponseStream.MoveNext())
            {
            }
        });
        Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
        Assert.Contains("region 'Gotland'", ended.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await nodes.ListNodesAsync(new ListNodesRequest())).Nodes);
        Assert.Contains(await Store.Audit.ListAsync(), a => a is { Actor: "node:Gotland", Action: RevokedNodeEviction.AuditAction }
            && a.Detail.StartsWith($"registration {nodeId} dropped", StringComparison.Ordinal));
        var register = await Assert.ThrowsAsync<RpcException>(() => gotland.RegisterAsync(new RegisterRequest { Region = "Gotland" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, register.StatusCode);
    }

    [Fact]
    public async Task A_list_the_ca_did_not_sign_is_not_used_and_the_previous_list_stays_in_force()
    {
        using var bob = _pki.Channel(Address, TestPki.Bob);
        await new Research.ResearchClient(bob).ListJobsAsync(new ListJobsRequest());
        _pki.Revoke("bob");
        Assert.True(await Reloader.ReloadIfChangedAsync());

        // An empty list with the same issuer name but signed by another CA's key: it would un-revoke bob.
        File.Copy(TestPki.Provision().Files.RevocationList, _pki.Files.RevocationList, overwrite: true);

        Assert.False(await Reloader.ReloadIfChangedAsync());
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Research.ResearchClient(bob).ListJobsAsync(new ListJobsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }
}
