using FederatedCare.Cli.Commands;
using FederatedCare.Coordinator.Extensions;
using FederatedCare.Coordinator.Security;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using FederationClient = FederatedCare.Protos.V1.Federation.FederationClient;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>
/// Expiry warnings on the coordinator's clock (a <see cref="FakeTimeProvider"/>): the coordinator's certificate and a
/// registered node's are warned about once fewer than Coordinator:Tls:ExpiryWarningDays days are left, and
/// <c>fedcare nodes</c> shows the days left from the end of validity the node list carries.
/// </summary>
public sealed class CertificateExpiryTests
{
    [Fact]
    public async Task Certificates_are_warned_about_once_fewer_days_than_the_setting_are_left()
    {
        var pki = TestPki.Provision(); // every certificate valid for two days
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var coordinator = await CoordinatorHost.StartAsync(
            [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", .. pki.CoordinatorArgs(),
             "--Coordinator:Tls:ExpiryWarningDays=1", "--Coordinator:Limits:ForgetUnseenNodesHours=0"],
            builder => builder.Services.AddSingleton<TimeProvider>(clock));
        using var channel = pki.Channel(coordinator.Address, TestPki.Node("Gotland"));
        await new FederationClient(channel).RegisterAsync(new RegisterRequest { Region = "Gotland" });
        var monitor = coordinator.App.Services.GetRequiredService<CertificateExpiryMonitor>();

        Assert.Empty(monitor.Check());
        clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(["coordinator", "region Gotland"], monitor.Check());

        using var alice = pki.Channel(coordinator.Address, TestPki.Alice);
        var node = Assert.Single((await new Operator.OperatorClient(alice).ListNodesAsync(new ListNodesRequest())).Nodes);
        var notAfter = DateTimeOffset.FromUnixTimeMilliseconds(node.CertificateNotAfterUnixMs);
        Assert.Equal(new DateTimeOffset(pki.Certificate(TestPki.Node("Gotland")).NotAfter.ToUniversalTime()), notAfter);
        Assert.Equal("0", JobCommands.CertificateDaysLeft(node.CertificateNotAfterUnixMs, clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(0, 0, "-")]
    [InlineData(1, 30.5, "30")]
    [InlineData(1, 0.2, "0")]
    [InlineData(1, -0.2, "expired")]
    public void Fedcare_nodes_shows_whole_days_left(int withTls, double daysLeft, string shown)
    {
        var now = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
        long notAfter = withTls == 0 ? 0 : now.AddDays(daysLeft).ToUnixTimeMilliseconds();

        Assert.Equal(shown, JobCommands.CertificateDaysLeft(notAfter, now));
    }
}
