using System.CommandLine;
using System.Globalization;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare provision --out DIR [--coordinator-host HOST ...] [--regions A,B] [--operators A,B] [--researchers A,B]
/// [--days N] [--force]</c>: creates the federation CA and every certificate mutual TLS needs.
/// <c>fedcare provision --ca-dir DIR [--revoke NAME|SERIAL ...] [--add-region NAME ...] [--add-operator NAME ...]
/// [--add-researcher NAME ...] [--refresh-crl] [--days N] [--force]</c>: revokes certificates (the CA's <c>crl.pem</c>),
/// or signs the list again with a later next update, and issues more from the existing CA, touching no other
/// participant's files.
/// </summary>
public static class ProvisionCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for a new federation CA and its PEM files (created if missing)." };
        var caDirectory = new Option<string>("--ca-dir")
        {
            Description = "Folder of an existing federation CA (ca.pem, ca-key.pem): add or revoke participants without touching the others.",
        };
        var hosts = new Option<string[]>("--coordinator-host")
        {
            Description = "The coordinator's IP addresses and DNS names, repeated or comma-separated (127.0.0.1 and localhost are always included).",
            AllowMultipleArgumentsPerToken = true,
        };
        var regions = new Option<string[]>("--regions")
        {
            Description = "Regions (node agents), comma-separated.",
            DefaultValueFactory = _ => [.. ProvisioningPlan.DemoRegions],
        };
        var operators = new Option<string[]>("--operators") { Description = "Operators (start and abort jobs), comma-separated; at least one." };
        var researchers = new Option<string[]>("--researchers") { Description = "Researchers (read results only), comma-separated." };
        var addRegions = new Option<string[]>("--add-region") { Description = "With --ca-dir: a new region's certificate; repeated or comma-separated." };
        var addOperators = new Option<string[]>("--add-operator") { Description = "With --ca-dir: a new operator's certificate; repeated or comma-separated." };
        var addResearchers = new Option<string[]>("--add-researcher") { Description = "With --ca-dir: a new researcher's certificate; repeated or comma-separated." };
        var revoke = new Option<string[]>("--revoke")
        {
            Description = "With --ca-dir: revoke a certificate by holder (Karolinska, node:Karolinska) or serial number (hex); repeated. Writes crl.pem.",
        };
        var refresh = new Option<bool>("--refresh-crl")
        {
            Description = "With --ca-dir: sign crl.pem again, unchanged but for a next update --days away (a list past its next update is flagged by the coordinator).",
        };
        var days = new Option<int>("--days")
        {
            Description = "Days every new certificate is valid (never beyond the CA); with --revoke or --refresh-crl, days until the list's next update.",
            DefaultValueFactory = _ => 365,
        };
        var force = new Option<bool>("--force")
        {
            Description = "--out: replace an existing CA (every certificate it issued stops working). --ca-dir: issue a new certificate for a name that has one.",
        };
        var command = new Command("provision", Help.WithExample(
            "Create the federation CA and certificates for the coordinator, regions, operators and researchers (--out), " +
            "or add and revoke participants of an existing CA (--ca-dir).",
            "fedcare provision --out certs --regions Halland,Karolinska --operators alice --researchers bob; " +
            "fedcare provision --ca-dir certs --add-region Gotland; fedcare provision --ca-dir certs --revoke Karolinska"))
        {
            output, caDirectory, hosts, regions, operators, researchers, addRegions, addOperators, addResearchers, revoke, refresh, days, force,
        };
        command.SetAction(parse =>
        {
            var additions = Identities(FederationRoles.Node, parse.GetValue(addRegions))
                .Concat(Identities(FederationRoles.Operator, parse.GetValue(addOperators)))
                .Concat(Identities(FederationRoles.Researcher, parse.GetValue(addResearchers)))
                .ToList();
            var revocations = Split(parse.GetValue(revoke));
            bool refreshList = parse.GetValue(refresh);
            try
            {
                var outDirectory = parse.GetValue(output);
                var existing = parse.GetValue(caDirectory);
                if (outDirectory is null == existing is null)
                    throw new InvalidOperationException(
                        "Give either --out DIR (a new federation CA) or --ca-dir DIR (add or revoke participants of an existing one).");
                if (outDirectory is not null)
                {
                    if (additions.Count > 0 || revocations.Count > 0 || refreshList)
                        throw new InvalidOperationException(
                            "--add-region, --add-operator, --add-researcher, --revoke and --refresh-crl need --ca-dir DIR (the existing CA's folder), not --out.");
                    var clients = Identities(FederationRoles.Node, parse.GetValue(regions))
                        .Concat(Identities(FederationRoles.Operator, parse.GetValue(operators)))
                        .Concat(Identities(FederationRoles.Researcher, parse.GetValue(researchers)))
                        .ToList();
                    var plan = new ProvisioningPlan(outDirectory, Split(parse.GetValue(hosts)), clients, parse.GetValue(days), parse.GetValue(force));
                    var (files, notAfter) = FederationProvisioner.Run(plan, TimeProvider.System);
                    Report(plan, files, notAfter);
                    return 0;
                }
                if (new Option[] { regions, operators, researchers, hosts }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } fresh)
                    throw new InvalidOperationException(
                        $"{fresh.Name} belongs to a new federation (--out); with --ca-dir use --add-region, --add-operator, --add-researcher or --revoke.");
                if (additions.Count == 0 && revocations.Count == 0 && !refreshList)
                    throw new InvalidOperationException("--ca-dir needs something to do: --add-region, --add-operator, --add-researcher, --revoke or --refresh-crl.");
                Change(existing!, additions, revocations, refreshList, parse.GetValue(days), parse.GetValue(force));
                return 0;
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    // Revocations first, so that "--revoke Karolinska --add-region Karolinska --force" replaces a lost key in one go.
    private static void Change(string directory, List<FederationIdentity> additions, List<string> revocations, bool refresh, int days, bool force)
    {
        // Checked before anything is revoked, so that a bad --add-region leaves the revocation list as it was too.
        var plan = new AdditionPlan(directory, additions, days, force);
        if (additions.Count > 0 && plan.Problems() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join(" ", problems));
        if (revocations.Count > 0 || refresh)
        {
            var result = CertificateRevoker.Revoke(directory, revocations, days, TimeProvider.System, refresh);
            foreach (var target in result.Revoked) Console.WriteLine($"revoked            {Describe(target)}");
            foreach (var target in result.AlreadyRevoked) Console.WriteLine($"already revoked    {Describe(target)}");
            if (result.NextUpdate is { } next) Console.WriteLine($"next update        {next.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
            Console.WriteLine($"revocation list    {result.Files.RevocationList}  (CRL number {result.CrlNumber}; copy it to the coordinator's " +
                "Coordinator:Tls:RevocationList: it is reloaded within Coordinator:Tls:ReloadSeconds)");
        }
        if (additions.Count == 0) return;
        var (files, notAfter) = ParticipantProvisioner.Add(plan, TimeProvider.System);
        foreach (var client in additions)
            Console.WriteLine($"{client,-18} {files.ClientCertificate(client)} + {Path.GetFileName(files.ClientKey(client))}");
        Console.WriteLine($"valid until        {notAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC  " +
            "(issued by the existing CA: the coordinator and everyone else keep their certificates)");
    }

    private static string Describe(RevocationTarget target) =>
        target.Identity is { } identity ? $"{identity} (serial {target.Serial})" : $"serial {target.Serial}";

    private static void Report(ProvisioningPlan plan, PkiFiles files, DateTimeOffset notAfter)
    {
        Console.WriteLine($"federation CA      {files.CaCertificate}  (give a copy to the coordinator and every client)");
        Console.WriteLine($"coordinator        {files.ServerCertificate} + {Path.GetFileName(files.ServerKey)}  " +
            $"(hosts {string.Join(", ", plan.SubjectAlternativeNames)})");
        foreach (var client in plan.Clients)
            Console.WriteLine($"{client,-18} {files.ClientCertificate(client)} + {Path.GetFileName(files.ClientKey(client))}");
        Console.WriteLine($"revocation list    {files.RevocationList}  (empty; for Coordinator:Tls:RevocationList, extended by --ca-dir DIR --revoke)");
        Console.WriteLine($"valid until        {notAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC  (every certificate: {files.Log})");
        Console.WriteLine($"WARNING: {files.CaKey} can issue a certificate for any region, operator or researcher. Move it offline " +
            "(an encrypted drive kept apart from the federation) and never copy it to the coordinator or a node.");
    }

    // NFC, as the coordinator compares region names with certificate names: one form in the certificate and the file name.
    private static IEnumerable<FederationIdentity> Identities(string role, string[]? names) =>
        Split(names).Select(name => new FederationIdentity(role, RegionNames.Normalize(name)));

    private static List<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
}
