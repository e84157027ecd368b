using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Provisioning;

/// <summary>What <c>fedcare provision</c> is asked to create: the folder, the coordinator's hosts, who gets a certificate, and for how long.</summary>
/// <param name="Directory">Where the PEM files go.</param>
/// <param name="Hosts">The coordinator's IP addresses and DNS names (127.0.0.1 and localhost are always added).</param>
/// <param name="Clients">One identity per region, operator and researcher.</param>
/// <param name="Days">How many days every certificate is valid.</param>
/// <param name="Force">Replace an existing CA in <paramref name="Directory"/>.</param>
public sealed record ProvisioningPlan(string Directory, IReadOnlyList<string> Hosts, IReadOnlyList<FederationIdentity> Clients, int Days, bool Force)
{
    /// <summary>The hosts every coordinator certificate names, so that the loopback demo and local tools just work.</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["127.0.0.1", "localhost"];

    /// <summary>The regions provisioned when none are named: the demo federation's four.</summary>
    public static IReadOnlyList<string> DemoRegions { get; } = ["Halland", "Karolinska", "Sahlgrenska", "Örebro"];

    /// <summary><see cref="LoopbackHosts"/> and then <see cref="Hosts"/>, each once.</summary>
    public IReadOnlyList<string> SubjectAlternativeNames =>
        LoopbackHosts.Concat(Hosts).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Everything wrong with the plan, one line each; empty when it can be carried out.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Days < 1) problems.Add($"--days must be at least 1 (was {Days}).");
        foreach (var host in Hosts)
            if (!CertificateProfiles.IsHost(host))
                problems.Add($"--coordinator-host '{host}' is neither an IP address nor a DNS name.");
        problems.AddRange(NameProblems(Clients));
        if (!Clients.Any(c => c.Role == FederationRoles.Operator))
            problems.Add("No operator is named (--operators NAME,...): nobody could start a job.");
        return problems;
    }

    /// <summary>
    /// What is wrong with the names of <paramref name="clients"/>: a region name that is no region identifier
    /// (<see cref="RegionNames"/>: no spaces, those go in the node's display name), another name empty or with spaces or
    /// control characters, a name given twice, or names sharing a file name.
    /// </summary>
    public static IEnumerable<string> NameProblems(IReadOnlyList<FederationIdentity> clients)
    {
        foreach (var client in clients)
            if (client.Role == FederationRoles.Node && RegionNames.IdentifierProblem(client.Name) is { } regionProblem)
                yield return $"region identifier '{client.Name}': {regionProblem} The display name (e.g. \"Region Jönköpings län\") " +
                    "goes in the node's config, NodeAgent:DisplayName.";
            else if (client.Name.Length == 0 || client.Name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                yield return $"{client.Role} name '{client.Name}' must be non-empty, without spaces or control characters.";
        // Distinct names whose files would collide (Örebro and Orebro) would overwrite each other's keys.
        foreach (var group in clients.GroupBy(PkiFiles.Stem, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return group.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() == 1
                ? $"{group.First().Role} '{group.First().Name}' is named twice."
                : $"{string.Join(" and ", group.Select(c => $"{c.Role} '{c.Name}'"))} would share the file {group.Key}.pem.";
    }
}
