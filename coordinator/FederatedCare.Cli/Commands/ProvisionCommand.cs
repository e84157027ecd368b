using System.CommandLine;
using System.Globalization;
using FederatedCare.Cli.Provisioning;
using FederatedCare.Protos.Security;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Commands;

/// <summary>
/// <c>fedcare provision --out DIR [--coordinator-host HOST ...] [--regions A,B] [--operators A,B] [--researchers A,B]
/// [--days N] [--force]</c>: creates the federation CA and every certificate mutual TLS needs.
/// </summary>
public static class ProvisionCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the PEM files (created if missing).", Required = true };
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
        var days = new Option<int>("--days") { Description = "Days every certificate is valid.", DefaultValueFactory = _ => 365 };
        var force = new Option<bool>("--force") { Description = "Replace an existing CA in --out (every certificate it issued stops working)." };
        var command = new Command("provision", "Create the federation CA and certificates for the coordinator, regions, operators and researchers.")
        {
            output, hosts, regions, operators, researchers, days, force,
        };
        command.SetAction(parse =>
        {
            var clients = Identities(FederationRoles.Node, parse.GetValue(regions))
                .Concat(Identities(FederationRoles.Operator, parse.GetValue(operators)))
                .Concat(Identities(FederationRoles.Researcher, parse.GetValue(researchers)))
                .ToList();
            var plan = new ProvisioningPlan(parse.GetRequiredValue(output), Split(parse.GetValue(hosts)), clients,
                parse.GetValue(days), parse.GetValue(force));
            PkiFiles files;
            DateTimeOffset notAfter;
            try
            {
                (files, notAfter) = FederationProvisioner.Run(plan, TimeProvider.System);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            Report(plan, files, notAfter);
            return 0;
        });
        return command;
    }

    private static void Report(ProvisioningPlan plan, PkiFiles files, DateTimeOffset notAfter)
    {
        Console.WriteLine($"federation CA      {files.CaCertificate}  (give a copy to the coordinator and every client)");
        Console.WriteLine($"coordinator        {files.ServerCertificate} + {Path.GetFileName(files.ServerKey)}  " +
            $"(hosts {string.Join(", ", plan.SubjectAlternativeNames)})");
        foreach (var client in plan.Clients)
            Console.WriteLine($"{client,-18} {files.ClientCertificate(client)} + {Path.GetFileName(files.ClientKey(client))}");
        Console.WriteLine($"valid until        {notAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Console.WriteLine($"WARNING: {files.CaKey} can issue a certificate for any region, operator or researcher. Move it offline " +
            "(an encrypted drive kept apart from the federation) and never copy it to the coordinator or a node.");
    }

    // NFC, as the coordinator compares region names with certificate names: one form in the certificate and the file name.
    private static IEnumerable<FederationIdentity> Identities(string role, string[]? names) =>
        Split(names).Select(name => new FederationIdentity(role, RegionNames.Normalize(name)));

    private static List<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
}
