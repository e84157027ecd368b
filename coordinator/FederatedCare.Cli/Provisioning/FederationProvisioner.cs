using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// Carries out a <see cref="ProvisioningPlan"/>: a new CA, the coordinator's certificate and one client certificate per
/// identity, all valid from an hour ago (for clocks that run a little behind) for the plan's number of days.
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
        using (var server = ca.IssueServer(plan.SubjectAlternativeNames, notBefore, notAfter))
            PkiFiles.Write(server, files.ServerCertificate, files.ServerKey);
        foreach (var identity in plan.Clients)
        {
            using var client = ca.IssueClient(identity, notBefore, notAfter);
            PkiFiles.Write(client, files.ClientCertificate(identity), files.ClientKey(identity));
        }
        return (files, notAfter);
    }
}
