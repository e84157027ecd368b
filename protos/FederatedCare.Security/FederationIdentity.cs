using System.Security.Cryptography.X509Certificates;

namespace FederatedCare.Protos.Security;

/// <summary>
/// Who a federation certificate speaks for: its role (<see cref="FederationRoles"/>) and name (a region, or a person).
/// Both live in the certificate's subject, <c>CN=Halland, OU=node, O=FederatedCare</c>, so that the certificate alone
/// decides the identity; the federation CA vouches for the subject, nothing the caller sends does.
/// </summary>
/// <param name="Role">One of <see cref="FederationRoles.All"/>.</param>
/// <param name="Name">The region or person, e.g. <c>Halland</c>, <c>Örebro</c>, <c>alice</c>.</param>
public sealed record FederationIdentity(string Role, string Name)
{
    /// <summary>The subject's organisation (O) on every certificate the federation CA issues.</summary>
    public const string Organization = "FederatedCare";

    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationalUnitOid = "2.5.4.11";

    /// <summary>
    /// The certificate subject for this identity. The builder encodes each name as a UTF8String, so a region such as
    /// Örebro keeps its letters, and nothing in a name (a comma, "OU=") can be mistaken for another attribute.
    /// </summary>
    public X500DistinguishedName ToSubject()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(Organization);
        builder.AddOrganizationalUnitName(Role);
        builder.AddCommonName(Name);
        return builder.Build();
    }

    /// <summary>
    /// The identity in <paramref name="certificate"/>'s subject: exactly one CN and one OU that is a known role.
    /// Null for any other subject (e.g. the coordinator's server certificate).
    /// </summary>
    public static FederationIdentity? FromCertificate(X509Certificate2 certificate)
    {
        string? name = null, role = null;
        int names = 0, roles = 0;
        // Read the attributes themselves rather than parsing Subject's text, in which a name may contain ", OU=".
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements) return null;
            switch (rdn.GetSingleElementType().Value)
            {
                case CommonNameOid:
                    name = rdn.GetSingleElementValue();
                    names++;
                    break;
                case OrganizationalUnitOid:
                    role = rdn.GetSingleElementValue();
                    roles++;
                    break;
            }
        }
        if (names != 1 || roles != 1 || string.IsNullOrEmpty(name) || !FederationRoles.All.Contains(role, StringComparer.Ordinal))
            return null;
        return new FederationIdentity(role!, name);
    }

    /// <summary><c>role:name</c>, e.g. <c>operator:alice</c> or <c>node:Halland</c>: how audit entries name the caller.</summary>
    public override string ToString() => $"{Role}:{Name}";
}
