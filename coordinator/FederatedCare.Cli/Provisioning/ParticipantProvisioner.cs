namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// Carries out an <see cref="AdditionPlan"/>: loads the existing CA from its folder and issues one client certificate
/// per new identity, valid from an hour ago for the plan's number of days but never beyond the CA. Nothing else in the
/// folder changes except <c>provision.log</c>, which gains a line per certificate: the coordinator and every other
/// participant keep their certificates, and the new one is trusted at once because it chains to the same CA.
/// </summary>
public static class ParticipantProvisioner
{
    /// <summary>Writes the new certificates and keys; returns the folder's files and the new certificates' end of validity.</summary>
    /// <exception cref="InvalidOperationException">The plan has problems, or the folder holds no usable CA (also <see cref="Protos.Security.TlsConfigurationException"/>).</exception>
    public static (PkiFiles Files, DateTimeOffset NotAfter) Add(AdditionPlan plan, TimeProvider time)
    {
        var files = new PkiFiles(Path.GetFullPath(plan.Directory));
        if (plan.Problems() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join(" ", problems));
        using var ca = CertificateAuthorityFolder.Load(files);
        var now = time.GetUtcNow();
        var caEnd = new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime());
        if (caEnd <= now)
            throw new InvalidOperationException($"The CA in '{files.CaCertificate}' expired {caEnd:yyyy-MM-dd}: provision a new federation (--out).");
        var notAfter = now.AddDays(plan.Days) < caEnd ? now.AddDays(plan.Days) : caEnd;
        foreach (var identity in plan.Clients) FederationProvisioner.Issue(ca, files, identity, now, notAfter);
        return (files, notAfter);
    }
}
