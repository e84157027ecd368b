using System.Net.Security;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Coordinator.Extensions;
using FederatedCare.Coordinator.Security;
using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// A renewed coordinator certificate is served from the next connection on without a restart, and a changed file that
/// cannot be used (a certificate without its key) leaves the working pair in use. The reload is triggered explicitly.
/// </summary>
public sealed class TlsReloadTests : IAsyncLifetime
{
    private readonly TestPki _pki = TestPki.Provision();
    private RunningCoordinator _coordinator = null!;

    private TlsFileReloader Reloader => _coordinator.App.Services.GetRequiredService<TlsFileReloader>();

    public async Task InitializeAsync() => _coordinator = await CoordinatorHost.StartAsync(
        [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", .. _pki.CoordinatorArgs(), "--Coordinator:Tls:ReloadSeconds=3600"]);

    public async Task DisposeAsync() => await _coordinator.DisposeAsync();

    [Fact]
    public async Task A_renewed_coordinator_certificate_serves_the_next_connection_without_a_restart()
    {
        var original = PemFiles.LoadCertificates(_pki.Files.ServerCertificate, "coordinator.pem")[0].SerialNumber;
        Assert.Equal(original, await ServedSerialAsync());
        using var ca = FederationCa.Load(_pki.Files.CaCertificate, _pki.Files.CaKey);
        var now = DateTimeOffset.UtcNow;
        using var renewed = ca.IssueServer(ProvisioningPlan.LoopbackHosts, now.AddHours(-1), now.AddDays(1));
        PkiFiles.Write(renewed, _pki.Files.ServerCertificate, _pki.Files.ServerKey);

        Assert.True(await Reloader.ReloadIfChangedAsync());

        Assert.Equal(renewed.SerialNumber, await ServedSerialAsync());
    }

    [Fact]
    public async Task A_certificate_without_its_key_is_not_used_and_the_working_pair_stays()
    {
        var original = PemFiles.LoadCertificates(_pki.Files.ServerCertificate, "coordinator.pem")[0].SerialNumber;
        using var ca = FederationCa.Load(_pki.Files.CaCertificate, _pki.Files.CaKey);
        var now = DateTimeOffset.UtcNow;
        using var renewed = ca.IssueServer(ProvisioningPlan.LoopbackHosts, now.AddHours(-1), now.AddDays(1));
        // The certificate arrives first; its key is still the old one.
        File.WriteAllText(_pki.Files.ServerCertificate, renewed.ExportCertificatePem() + "\n");

        Assert.False(await Reloader.ReloadIfChangedAsync());

        Assert.Equal(original, await ServedSerialAsync());
    }

    // Connects anew (a new handler, so a new TLS handshake) as alice and returns the serial of the certificate the coordinator served.
    private async Task<string> ServedSerialAsync()
    {
        string? served = null;
        var options = FederationTrust.ClientOptions(_pki.Certificate(TestPki.Alice), _pki.Ca);
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            served = certificate?.GetSerialNumberString();
            return errors == SslPolicyErrors.None;
        };
        using var channel = GrpcChannel.ForAddress(_coordinator.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { SslOptions = options } });
        await new Research.ResearchClient(channel).ListJobsAsync(new ListJobsRequest());
        return served ?? throw new InvalidOperationException("no server certificate was seen");
    }
}
