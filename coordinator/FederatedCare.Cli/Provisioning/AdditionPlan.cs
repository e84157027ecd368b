using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// What <c>fedcare provision --ca-dir DIR --add-region/--add-operator/--add-researcher NAME</c> is asked to issue:
/// more client certificates from the CA already in <paramref name="Directory"/>, leaving every other file as it is.
/// </summary>
/// <param name="Directory">The folder of an earlier <c>fedcare provision --out</c>, with <c>ca.pem</c> and <c>ca-key.pem</c>.</param>
/// <param name="Clients">The new regions, operators and researchers.</param>
/// <param name="Days">How many days the new certificates are valid (never beyond the CA's own end of validity).</param>
/// <param name="Force">Issue a new certificate for a name that already has one, replacing its files.</param>
public sealed record AdditionPlan(string Directory, IReadOnlyList<FederationIdentity> Clients, int Days, bool Force)
{
    /// <summary>Everything wrong with the plan, one line each; empty when it can be carried out.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Days < 1) problems.Add($"--days must be at least 1 (was {Days}).");
        if (Clients.Count == 0) problems.Add("Nobody to add: name at least one --add-region, --add-operator or --add-researcher.");
        problems.AddRange(ProvisioningPlan.NameProblems(Clients));
        if (!Force)
        {
            var files = new PkiFiles(Directory);
            foreach (var client in Clients.Where(c => File.Exists(files.ClientCertificate(c))))
                problems.Add($"{client.Role} '{client.Name}' already has a certificate ({Path.GetFileName(files.ClientCertificate(client))}): " +
                    "pass --force to issue a new one (and --revoke the old one if its key may be lost).");
        }
        return problems;
    }
}
