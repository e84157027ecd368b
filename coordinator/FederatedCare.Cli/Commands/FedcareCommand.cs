using System.CommandLine;

namespace FederatedCare.Cli.Commands;

/// <summary>The <c>fedcare</c> root command: operator and researcher actions against a coordinator, and provisioning.</summary>
public static class FedcareCommand
{
    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("fedcare: launch, watch and inspect FederatedCare training jobs.")
        {
            CoordinatorConnection.AddressOption,
            CoordinatorConnection.CertificateOption,
            CoordinatorConnection.KeyOption,
            CoordinatorConnection.CaOption,
            HealthCommand.Create(),
            SubmitCommand.Create(),
            WatchCommand.Create(),
            JobCommands.Status(),
            JobCommands.Abort(),
            JobCommands.List(),
            JobCommands.Nodes(),
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
