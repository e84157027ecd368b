using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// Carries out a <see cref="ProvisioningPlan"/>: a new CA, the coordinator's certificate and one client certificate per
/// identity, all valid from an hour ago (for clocks that run a little behind) for the plan's number of days, an empty
/// revocation list (<c>crl.pem</c>) and a new <c>provision.log</c>.
/// </summary>
public static class FederationProvisioner
{
    /// <summary>How far back every certificate's validity starts.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    /// <summary>Writes the files; returns their names and the certificates' end of validity.</summary>
    /// <exception cref="InvalidOperationException">The plan has problems, or a CA exists and <see cref="ProvisioningPlan.Force"/> is off.</exception>
    public static (PkiFiles Files, DateTimeOffset NotAfter) Run(ProvisioningPlan plan, TimeProvider time)
    {
        if (plan.Problems() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join(" ", problems));
        var files = new PkiFiles(Path.GetFullPath(plan.Directory));
        foreach (var existing in new[] { files.CaCertificate, files.CaKey }.Where(File.Exists))
            if (!plan.Force)
                throw new InvalidOperationException(
                    $"'{existing}' exists: a new CA would invalidate every certificate the old one issued. Pass --force to replace it.");
        Directory.CreateDirectory(files.Directory);

        var now = time.GetUtcNow();
        var notBefore = now - ClockSkew;
        var notAfter = now.AddDays(plan.Days);
        using var ca = FederationCa.Create(notBefore, notAfter);
        PkiFiles.Write(ca.Certificate, files.CaCertificate, files.CaKey);
        // A new CA starts a new log and an empty revocation list, so the coordinator can read one from the first day.
        File.Delete(files.Log);
        File.WriteAllText(files.RevocationList, ca.SignRevocationList(null, [], now, notAfter).Pem);
        ProvisionLog.Issued(files, now, "ca", ca.Certificate, files.CaCertificate);
        using (var server = ca.IssueServer(plan.SubjectAlternativeNames, notBefore, notAfter))
        {
            PkiFiles.Write(server, files.ServerCertificate, files.ServerKey);
            ProvisionLog.Issued(files, now, "coordinator", server, files.ServerCertificate);
        }
        foreach (var identity in plan.Clients) Issue(ca, files, identity, now, notAfter);
        return (files, notAfter);
    }

    /// <summary>
    /// Issues <paramref name="identity"/>'s certificate (valid from <see cref="ClockSkew"/> before <paramref name="now"/>
    /// to <paramref name="notAfter"/>), writes it and its key, and logs it in <c>provision.log</c>.
    /// </summary>
    internal static void Issue(FederationCa ca, PkiFiles files, FederationIdentity identity, DateTimeOffset now, DateTimeOffset notAfter)
    {
        using var client = ca.IssueClient(identity, now - ClockSkew, notAfter);
        PkiFiles.Write(client, files.ClientCertificate(identity), files.ClientKey(identity));
        ProvisionLog.Issued(files, now, identity.ToString(), client, files.ClientCertificate(identity));
    }
}
