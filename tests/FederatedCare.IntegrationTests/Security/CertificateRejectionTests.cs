using FederatedCare.Cli.Provisioning;
using FederatedCare.Protos.V1;
using Grpc.Core;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// Over real loopback gRPC with mutual TLS: the coordinator ends the handshake of a client without a valid federation
/// certificate, so no call reaches a service. Each client trusts the coordinator's CA, so the refusal is the server's.
/// </summary>
public sealed class CertificateRejectionTests(TlsCoordinatorFixture fixture) : IClassFixture<TlsCoordinatorFixture>
{
    private readonly TestPki _pki = fixture.Pki;
    private readonly Uri _address = fixture.Coordinator.Address;

    [Fact]
    public async Task A_client_without_a_certificate_cannot_call()
    {
        using var channel = TestPki.Channel(_address, clientCertificate: null, _pki.Ca);

        await AssertRefusedAsync(channel);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused()
    {
        var other = TestPki.Provision();
        using var channel = TestPki.Channel(_address, other.Certificate(TestPki.Alice), _pki.Ca);

        await AssertRefusedAsync(channel);
    }

    [Fact]
    public async Task An_expired_certificate_from_the_federation_ca_is_refused()
    {
        using var ca = FederationCa.Load(_pki.Files.CaCertificate, _pki.Files.CaKey);
        // The CA's validity starts an hour back (FederationProvisioner.ClockSkew): this one ended 59 minutes ago.
        var start = new DateTimeOffset(ca.Certificate.NotBefore);
        using var expired = ca.IssueClient(TestPki.Alice, start, start.AddMinutes(1));
        using var channel = TestPki.Channel(_address, expired, _pki.Ca);

        await AssertRefusedAsync(channel);
    }

    [Fact]
    public async Task The_same_client_with_its_valid_certificate_is_served()
    {
        using var channel = TestPki.Channel(_address, _pki.Certificate(TestPki.Alice), _pki.Ca);

        await new Research.ResearchClient(channel).ListJobsAsync(new ListJobsRequest());
    }

    private static async Task AssertRefusedAsync(Grpc.Net.Client.GrpcChannel channel)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => new Research.ResearchClient(channel).ListJobsAsync(new ListJobsRequest()).ResponseAsync);
        // The TLS handshake fails, so the call never reaches a service. With TLS 1.3 the server checks the client's
        // certificate after the client has finished its side of the handshake, so the client sees the refusal either
        // while connecting (Unavailable) or as the connection reset under its first request (Internal): a race.
        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }
}
