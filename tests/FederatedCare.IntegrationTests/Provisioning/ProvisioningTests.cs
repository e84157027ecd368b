using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Protos.Security;

namespace FederatedCare.IntegrationTests.Provisioning;

/// <summary><c>fedcare provision</c>'s code: the CA, the coordinator's and every client's certificate, as PEM files.</summary>
public sealed class ProvisioningTests
{
    private static readonly FederationIdentity[] Clients =
    [
        .. ProvisioningPlan.DemoRegions.Select(r => new FederationIdentity(FederationRoles.Node, r)),
        new(FederationRoles.Operator, "alice"),
        new(FederationRoles.Researcher, "bob"),
    ];

    [Fact]
    public void Every_certificate_chains_to_the_federation_ca_alone_with_its_role_name_and_usage()
    {
        var files = Provision(new ProvisioningPlan(RepositoryPaths.TempDirectory(), ["fed.example.org", "10.1.2.3"], Clients, Days: 30, Force: false));
        var ca = PemFiles.LoadCertificates(files.CaCertificate, "ca");

        var authority = Assert.Single(ca);
        Assert.Equal(authority.SubjectName.RawData, authority.IssuerName.RawData);
        Assert.True(authority.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(File.ReadAllText(files.CaCertificate).Contains("PRIVATE KEY", StringComparison.Ordinal));

        foreach (var identity in Clients)
        {
            using var client = PemFiles.LoadCertificateWithKey(files.ClientCertificate(identity), files.ClientKey(identity), "cert", "key");
            Assert.Equal(identity, FederationIdentity.FromCertificate(client));
            Assert.Equal([FederationTrust.ClientAuthentication.Value], Usages(client));
            Assert.False(client.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.True(Chains(client, ca, FederationTrust.ClientAuthentication), $"{identity} does not chain to the CA");
            Assert.False(Chains(client, ca, FederationTrust.ServerAuthentication), $"{identity} could serve as the coordinator");
            Assert.InRange(client.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(29), DateTime.UtcNow.AddDays(31));
        }

        using var server = PemFiles.LoadCertificateWithKey(files.ServerCertificate, files.ServerKey, "cert", "key");
        Assert.Null(FederationIdentity.FromCertificate(server));
        Assert.Equal([FederationTrust.ServerAuthentication.Value], Usages(server));
        Assert.True(Chains(server, ca, FederationTrust.ServerAuthentication));
        Assert.False(Chains(server, ca, FederationTrust.ClientAuthentication), "the coordinator's certificate could act as a client");
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost", "fed.example.org"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.Parse("10.1.2.3")], names.EnumerateIPAddresses());
    }

    [Fact]
    public void A_non_ascii_region_keeps_its_name_in_the_certificate_and_gets_an_ascii_file_name()
    {
        var orebro = new FederationIdentity(FederationRoles.Node, "Örebro");
        var files = Provision(new ProvisioningPlan(RepositoryPaths.TempDirectory(), [], Clients, Days: 1, Force: false));

        Assert.Equal("node-orebro.pem", Path.GetFileName(files.ClientCertificate(orebro)));
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(files.ClientCertificate(orebro));
        Assert.Equal(orebro, FederationIdentity.FromCertificate(certificate));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Private_keys_are_readable_and_writable_by_their_owner_only()
    {
        var files = Provision(new ProvisioningPlan(RepositoryPaths.TempDirectory(), [], Clients, Days: 1, Force: false));
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        Assert.All([files.CaKey, files.ServerKey, .. Clients.Select(files.ClientKey)], key => Assert.Equal(ownerOnly, File.GetUnixFileMode(key)));
        Assert.True(File.GetUnixFileMode(files.CaCertificate).HasFlag(UnixFileMode.OtherRead));
    }

    [Fact]
    public void An_existing_ca_is_replaced_only_with_force()
    {
        var plan = new ProvisioningPlan(RepositoryPaths.TempDirectory(), [], Clients, Days: 1, Force: false);
        var files = Provision(plan);
        var first = File.ReadAllText(files.CaCertificate);

        var e = Assert.Throws<InvalidOperationException>(() => FederationProvisioner.Run(plan, TimeProvider.System));
        Assert.Contains("--force", e.Message, StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllText(files.CaCertificate));

        Provision(plan with { Force = true });
        Assert.NotEqual(first, File.ReadAllText(files.CaCertificate));
    }

    [Fact]
    public void A_plan_with_problems_names_each_and_writes_nothing()
    {
        var dir = Path.Combine(RepositoryPaths.TempDirectory(), "pki");
        var plan = new ProvisioningPlan(dir, ["not a host"],
            [new(FederationRoles.Node, "Örebro"), new(FederationRoles.Node, "Orebro"), new(FederationRoles.Researcher, "bo b")], Days: 0, Force: false);

        var problems = plan.Problems();

        Assert.Equal(5, problems.Count);
        Assert.Contains("--days must be at least 1 (was 0).", problems);
        Assert.Contains("--coordinator-host 'not a host' is neither an IP address nor a DNS name.", problems);
        Assert.Contains("node 'Örebro' and node 'Orebro' would share the file node-orebro.pem.", problems);
        Assert.Contains(problems, p => p.StartsWith("researcher name 'bo b'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("No operator", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => FederationProvisioner.Run(plan, TimeProvider.System));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_region_identifier_with_spaces_is_refused_pointing_to_the_display_name_and_a_non_ASCII_one_passes()
    {
        var plan = new ProvisioningPlan(RepositoryPaths.TempDirectory(), [],
            [new(FederationRoles.Node, "Region Jönköpings län"), new(FederationRoles.Node, "Jönköping"), new(FederationRoles.Operator, "ops")],
            Days: 1, Force: false);

        var problem = Assert.Single(plan.Problems());

        Assert.StartsWith("region identifier 'Region Jönköpings län': character ' ' (U+0020) at index 6 is not allowed;", problem, StringComparison.Ordinal);
        Assert.EndsWith("goes in the node's config, NodeAgent:DisplayName.", problem, StringComparison.Ordinal);
    }

    private static PkiFiles Provision(ProvisioningPlan plan) => FederationProvisioner.Run(plan, TimeProvider.System).Files;

    private static IEnumerable<string?> Usages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value);

    private static bool Chains(X509Certificate2 certificate, X509Certificate2Collection ca, System.Security.Cryptography.Oid usage)
    {
        using var chain = new X509Chain { ChainPolicy = FederationTrust.ChainPolicy(ca, usage) };
        return chain.Build(certificate);
    }
}
