using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Coordinator.Tests.Security;

/// <summary>The identity a certificate's subject carries: CN = name, OU = role.</summary>
public sealed class FederationIdentityTests
{
    [Theory]
    [InlineData(FederationRoles.Node, "Örebro")]
    [InlineData(FederationRoles.Operator, "alice")]
    [InlineData(FederationRoles.Researcher, "Västra Götaland, OU=operator")]
    public void The_subject_gives_back_exactly_the_identity_it_was_made_from(string role, string name)
    {
        var identity = new FederationIdentity(role, name);

        using var certificate = SelfSigned(identity.ToSubject());

        Assert.Equal(identity, FederationIdentity.FromCertificate(certificate));
        Assert.Equal($"{role}:{name}", identity.ToString());
    }

    [Theory]
    [InlineData("CN=coordinator, O=FederatedCare")]
    [InlineData("CN=alice, OU=admin, O=FederatedCare")]
    [InlineData("CN=alice, OU=operator, OU=node, O=FederatedCare")]
    [InlineData("OU=operator, O=FederatedCare")]
    public void A_subject_without_exactly_one_name_and_one_known_role_is_no_identity(string subject)
    {
        using var certificate = SelfSigned(new X500DistinguishedName(subject));

        Assert.Null(FederationIdentity.FromCertificate(certificate));
    }

    private static X509Certificate2 SelfSigned(X500DistinguishedName subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
    }
}
