using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Cli.Provisioning;
using FederatedCare.IntegrationTests.Cli;
using FederatedCare.Protos.Security;

namespace FederatedCare.IntegrationTests.Provisioning;

/// <summary>
/// <c>fedcare provision --ca-dir</c>'s code: more participants issued from an existing CA without touching anyone
/// else's files, and revocations written to the CA's signed revocation list.
/// </summary>
public sealed class ParticipantProvisioningTests
{
    private static readonly FederationIdentity Halland = new(FederationRoles.Node, "Halland");
    private static readonly FederationIdentity Alice = new(FederationRoles.Operator, "alice");
    private static readonly FederationIdentity Uppsala = new(FederationRoles.Node, "Uppsala");
    private static readonly FederationIdentity Dave = new(FederationRoles.Operator, "dave");
    private static readonly FederationIdentity Erin = new(FederationRoles.Researcher, "erin");

    [Fact]
    public void Added_participants_are_issued_by_the_existing_ca_and_no_other_file_changes()
    {
        var files = NewFederation();
        var before = Hashes(files.Directory);
        var log = File.ReadAllText(files.Log);

        var (_, notAfter) = ParticipantProvisioner.Add(new AdditionPlan(files.Directory, [Uppsala, Dave, Erin], Days: 10, Force: false), TimeProvider.System);

        var after = Hashes(files.Directory);
        foreach (var (file, hash) in before.Where(f => f.Key != "provision.log")) Assert.Equal(hash, after[file]);
        Assert.Equal(
            ["node-uppsala-key.pem", "node-uppsala.pem", "operator-dave-key.pem", "operator-dave.pem", "researcher-erin-key.pem", "researcher-erin.pem"],
            after.Keys.Except(before.Keys).Order(StringComparer.Ordinal));
        var ca = PemFiles.LoadCertificates(files.CaCertificate, "ca");
        foreach (var identity in new[] { Uppsala, Dave, Erin })
        {
            using var certificate = PemFiles.LoadCertificateWithKey(files.ClientCertificate(identity), files.ClientKey(identity), "cert", "key");
            Assert.Equal(identity, FederationIdentity.FromCertificate(certificate));
            using var chain = new X509Chain { ChainPolicy = FederationTrust.ChainPolicy(ca, FederationTrust.ClientAuthentication) };
            Assert.True(chain.Build(certificate), $"{identity} does not chain to the existing CA");
        }
        Assert.InRange(notAfter, DateTimeOffset.UtcNow.AddDays(9), DateTimeOffset.UtcNow.AddDays(11));
        var added = File.ReadAllText(files.Log);
        Assert.StartsWith(log, added, StringComparison.Ordinal);
        Assert.Equal(3, added[log.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("issued node:Uppsala serial ", added[log.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_certificate_never_outlives_the_ca()
    {
        var files = NewFederation(days: 5);

        var (_, notAfter) = ParticipantProvisioner.Add(new AdditionPlan(files.Directory, [Uppsala], Days: 365, Force: false), TimeProvider.System);

        using var ca = X509CertificateLoader.LoadCertificateFromFile(files.CaCertificate);
        Assert.Equal(new DateTimeOffset(ca.NotAfter.ToUniversalTime()), notAfter);
    }

    [Fact]
    public void A_name_that_has_a_certificate_is_refused_unless_forced()
    {
        var files = NewFederation();
        var halland = File.ReadAllText(files.ClientCertificate(Halland));
        var plan = new AdditionPlan(files.Directory, [Halland], Days: 10, Force: false);

        var e = Assert.Throws<InvalidOperationException>(() => ParticipantProvisioner.Add(plan, TimeProvider.System));

        Assert.Equal("node 'Halland' already has a certificate (node-halland.pem): pass --force to issue a new one " +
            "(and --revoke the old one if its key may be lost).", e.Message);
        Assert.Equal(halland, File.ReadAllText(files.ClientCertificate(Halland)));
        ParticipantProvisioner.Add(plan with { Force = true }, TimeProvider.System);
        Assert.NotEqual(halland, File.ReadAllText(files.ClientCertificate(Halland)));
    }

    [Fact]
    public void A_folder_without_a_ca_key_is_refused()
    {
        var files = NewFederation();
        File.Delete(files.CaKey);

        var e = Assert.Throws<InvalidOperationException>(() =>
            ParticipantProvisioner.Add(new AdditionPlan(files.Directory, [Uppsala], Days: 10, Force: false), TimeProvider.System));

        Assert.StartsWith($"--ca-dir '{files.Directory}' holds no CA (ca.pem and ca-key.pem)", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(files.ClientCertificate(Uppsala)));
    }

    [Fact]
    public void Revoking_by_name_and_by_serial_lists_both_on_a_crl_signed_by_the_ca()
    {
        var files = NewFederation();
        var ca = PemFiles.LoadCertificates(files.CaCertificate, "ca");
        Assert.Empty(RevocationList.Load(files.RevocationList, ca, "crl").Serials);
        using var halland = X509CertificateLoader.LoadCertificateFromFile(files.ClientCertificate(Halland));
        using var alice = X509CertificateLoader.LoadCertificateFromFile(files.ClientCertificate(Alice));

        var first = CertificateRevoker.Revoke(files.Directory, ["Halland"], days: 7, TimeProvider.System);
        var second = CertificateRevoker.Revoke(files.Directory, [alice.SerialNumber.ToLowerInvariant(), "node:Halland"], days: 7, TimeProvider.System);

        Assert.Equal([new RevocationTarget(Halland, halland.SerialNumber)], first.Revoked);
        Assert.Equal([new RevocationTarget(null, alice.SerialNumber)], second.Revoked);
        Assert.Equal([new RevocationTarget(Halland, halland.SerialNumber)], second.AlreadyRevoked);
        Assert.Equal((2, 3), ((int)first.CrlNumber, (int)second.CrlNumber));
        var list = RevocationList.Load(files.RevocationList, ca, "crl");
        Assert.True(list.IsRevoked(halland));
        Assert.True(list.IsRevoked(alice));
        using var orebro = X509CertificateLoader.LoadCertificateFromFile(files.ClientCertificate(new FederationIdentity(FederationRoles.Node, "Örebro")));
        Assert.False(list.IsRevoked(orebro));
        var log = File.ReadAllLines(files.Log);
        Assert.Contains(log, l => l.EndsWith($"revoked node:Halland serial {halland.SerialNumber} crl 2 crl.pem", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith($"revoked serial {alice.SerialNumber} crl 3 crl.pem", StringComparison.Ordinal));
    }

    [Fact]
    public void Refreshing_signs_the_same_list_again_with_a_later_next_update_and_a_higher_number()
    {
        var files = NewFederation();
        var ca = PemFiles.LoadCertificates(files.CaCertificate, "ca");
        using var halland = X509CertificateLoader.LoadCertificateFromFile(files.ClientCertificate(Halland));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var revoked = CertificateRevoker.Revoke(files.Directory, ["Halland"], days: 7, time);
        time.Advance(TimeSpan.FromDays(6));

        var unchanged = CertificateRevoker.Revoke(files.Directory, ["Halland"], days: 7, time);
        var refreshed = CertificateRevoker.Revoke(files.Directory, [], days: 30, time, refresh: true);

        Assert.Null(unchanged.NextUpdate);
        Assert.Equal(revoked.CrlNumber, unchanged.CrlNumber);
        Assert.Equal(revoked.CrlNumber + 1, refreshed.CrlNumber);
        var list = RevocationList.Load(files.RevocationList, ca, "crl");
        Assert.True(list.IsRevoked(halland));
        Assert.Single(list.Serials);
        Assert.Equal(time.GetUtcNow().AddDays(30).ToUnixTimeSeconds(), list.NextUpdate!.Value.ToUnixTimeSeconds());
        Assert.EndsWith($"refreshed crl {refreshed.CrlNumber} next update {time.GetUtcNow().AddDays(30):yyyy-MM-dd'T'HH:mm:ss'Z'} crl.pem",
            File.ReadAllLines(files.Log)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_the_files_looked_for_and_nothing_is_written()
    {
        var files = NewFederation();
        var crl = File.ReadAllText(files.RevocationList);

        var e = Assert.Throws<InvalidOperationException>(() => CertificateRevoker.Revoke(files.Directory, ["Halland", "Visby"], days: 7, TimeProvider.System));

        Assert.Equal($"--revoke 'Visby': no certificate of that name in '{files.Directory}' (none of node-visby.pem, operator-visby.pem, " +
            "researcher-visby.pem) and not a serial number (at least 8 hex digits).", e.Message);
        Assert.Equal(crl, File.ReadAllText(files.RevocationList));
    }

    [Fact]
    public void A_list_another_ca_signed_or_one_with_a_changed_byte_is_refused()
    {
        var files = NewFederation();
        var other = NewFederation();
        CertificateRevoker.Revoke(other.Directory, ["Halland"], days: 7, TimeProvider.System);
        var ca = PemFiles.LoadCertificates(files.CaCertificate, "ca");

        // Same subject, other key: only the signature tells the lists apart.
        var foreign = Assert.Throws<TlsConfigurationException>(() => RevocationList.Load(other.RevocationList, ca, "Coordinator:Tls:RevocationList"));
        var text = File.ReadAllText(files.RevocationList);
        var der = Convert.FromBase64String(text[PemEncoding.Find(text).Base64Data]);
        der[^1] ^= 0x01;
        var tampered = Assert.Throws<TlsConfigurationException>(() =>
            RevocationList.Parse(PemEncoding.WriteString(RevocationList.PemLabel, der), ca, "crl"));

        Assert.Contains("does not carry a valid signature of the federation CA", foreign.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Coordinator:Tls:RevocationList '{other.RevocationList}'", foreign.Message, StringComparison.Ordinal);
        Assert.Contains("crl", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_refuses_an_existing_name_and_mixed_folders_with_one_line_and_exit_code_2()
    {
        var files = NewFederation();

        var existing = await FedcareProcess.RunAsync("provision", "--ca-dir", files.Directory, "--add-region", "Halland");
        var mixed = await FedcareProcess.RunAsync("provision", "--out", files.Directory, "--ca-dir", files.Directory, "--add-region", "Uppsala");
        var fresh = await FedcareProcess.RunAsync("provision", "--ca-dir", files.Directory, "--regions", "Uppsala");
        var added = await FedcareProcess.RunAsync("provision", "--ca-dir", files.Directory, "--add-region", "Uppsala", "--revoke", "alice");

        Assert.Equal((2, "node 'Halland' already has a certificate (node-halland.pem): pass --force to issue a new one " +
            "(and --revoke the old one if its key may be lost)."), (existing.ExitCode, existing.Stderr.Trim()));
        Assert.Equal((2, "Give either --out DIR (a new federation CA) or --ca-dir DIR (add or revoke participants of an existing one)."),
            (mixed.ExitCode, mixed.Stderr.Trim()));
        Assert.Equal((2, "--regions belongs to a new federation (--out); with --ca-dir use --add-region, --add-operator, --add-researcher or --revoke."),
            (fresh.ExitCode, fresh.Stderr.Trim()));
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("revoked            operator:alice (serial ", added.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(files.ClientCertificate(Uppsala)));
    }

    private static PkiFiles NewFederation(int days = 30) => FederationProvisioner.Run(new ProvisioningPlan(RepositoryPaths.TempDirectory(), [],
        [.. ProvisioningPlan.DemoRegions.Select(r => new FederationIdentity(FederationRoles.Node, r)), Alice], days, Force: false), TimeProvider.System).Files;

    private static Dictionary<string, string> Hashes(string directory) => Directory.GetFiles(directory)
        .ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
