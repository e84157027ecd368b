using System.CommandLine;

namespace FederatedCare.Cli.Commands;

/// <summary>The <c>fedcare</c> root command: operator and researcher actions against a coordinator, and provisioning.</summary>
public static class FedcareCommand
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(Help.WithExample("fedcare: launch, watch and inspect FederatedCare training jobs.",
            "fedcare -c https://fed.example.org:5050 --cert operator-alice.pem --key operator-alice-key.pem --ca ca.pem jobs"))
        {
            CoordinatorConnection.AddressOption,
            CoordinatorConnection.CertificateOption,
            CoordinatorConnection.KeyOption,
            CoordinatorConnection.CaOption,
            HealthCommand.Create(),
            SubmitCommand.Create(),
            CloneCommand.Create(),
            WatchCommand.Create(),
            JobCommands.Status(),
            JobCommands.Abort(),
            DeleteCommand.Create(),
            JobCommands.List(),
            JobCommands.Nodes(),
            LogsCommand.Create(),
            ResearchCommands.Rounds(),
            ResearchCommands.Metrics(),
            ResearchCommands.Plot(),
            ResearchCommands.CrossSite(),
            ResearchCommands.Download(),
            ReportCommand.Create(),
            AnalysisCommand.Create(),
            AuditCommand.Create(),
            ProvisionCommand.Create(),
        };
        return root;
    }
}
