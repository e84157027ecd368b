using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Analysis;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Governance;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Extensions;

/// <summary>Registers the node agent's services.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start), datasets, model zoo, the TorchSharp <see cref="INodeTrainer"/>, the analyses
    /// (<see cref="INodeAnalyst"/> and its handlers), the region's audit log and the SDK's task handler with its fit
    /// mods, which records every release in it (<see cref="RegionReleaseAudit"/>), coordinator client, the reloader
    /// of its TLS files (<see cref="AgentTlsReloader"/>) and the worker. All singletons: the agent handles one task at a
    /// time. A later registration of <see cref="INodeTrainer"/> replaces the trainer.
    /// </summary>
    public static IServiceCollection AddNodeAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeAgentOptions>()
            // A misspelt key (Delimeter, Regoin) must stop the agent, not silently fall back to a default.
            .Bind(configuration.GetSection(NodeAgentOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeAgentOptions>, NodeAgentOptionsValidator>();
        services.PostConfigure<NodeAgentOptions>(ConfigFile.ResolvePaths);
        // One form of the region's names everywhere the agent uses them (registration, file names, audit log): NFC,
        // as the coordinator compares them, so a config typed with a decomposed "å" is the same region.
        services.PostConfigure<NodeAgentOptions>(o => (o.Region, o.DisplayName) = (RegionNames.Normalize(o.Region), RegionNames.Normalize(o.DisplayName)));
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton<TorchRuntime>();
        // The zoo takes every registered definition; a new architecture is one more registration here.
        services.AddSingleton<IModelDefinition, LogisticRegressionDefinition>();
        services.AddSingleton<IModelDefinition, MultinomialLogisticRegressionDefinition>();
        services.AddSingleton<IModelDefinition, LinearRegressionDefinition>();
        services.AddSingleton<IModelDefinition, MlpDefinition>();
        services.AddSingleton<IModelDefinition, CoxDefinition>();
        services.AddSingleton<JobDatasets>();
        services.AddSingleton<ModelZoo>();
        services.AddSingleton<LocalTrainer>();
        services.AddSingleton<Evaluator>();

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value;
            return new CoordinatorChannel(options.CoordinatorAddress, CoordinatorTls.From(options), TimeSpan.FromSeconds(options.CallTimeoutSeconds));
        });
        services.AddSingleton(sp => new GlobalModelSource(sp.GetRequiredService<CoordinatorChannel>().Calls,
            sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.ModelCacheSize, sp.GetRequiredService<ILogger<GlobalModelSource>>()));
        services.AddSingleton(sp =>
        {
            var state = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.StateDirectory;
            return new ControlVariateStore(files: string.IsNullOrWhiteSpace(state) ? null : new ControlVariateFiles(Path.Combine(state, WireNames.Strategies.Scaffold)));
        });
        // The region's audit log: <StateDirectory>/region-audit.jsonl, in memory only without a state folder.
        services.AddSingleton<IRegionAudit>(sp =>
        {
            var state = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.StateDirectory;
            return new RegionAuditLog(string.IsNullOrWhiteSpace(state) ? null : Path.Combine(state, RegionAuditLog.FileName),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IReleaseObserver, RegionReleaseAudit>();
        // The region's policy and approvals: admitted jobs, approval records and the ε ledger in the state folder.
        services.AddSingleton(sp => new AdmittedJobs(StateFolder(sp, Path.Combine("policy", "admitted"))));
        services.AddSingleton(sp => new PrivacyBudgetLedger(StateFolder(sp, PrivacyBudgetLedger.FileName)));
        services.AddSingleton<IJobAdmission>(sp =>
        {
            var approvals = StateFolder(sp, ApprovalStore.FolderName);
            return new PolicyAdmission(sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.Policy, sp.GetRequiredService<AdmittedJobs>(),
                approvals is null ? null : new ApprovalStore(approvals), sp.GetRequiredService<PrivacyBudgetLedger>(),
                sp.GetRequiredService<IRegionAudit>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PolicyAdmission>>());
        });
        services.AddSingleton<TorchTrainer>();
        services.AddSingleton<INodeTrainer>(sp => sp.GetRequiredService<TorchTrainer>());
        // Analysis jobs: a new analysis kind is one more handler here.
        services.AddSingleton<AnalysisDatasets>();
        services.AddSingleton<IAnalysisHandler, CoxIterationHandler>();
        services.AddSingleton<IAnalysisHandler, CoxConcordanceHandler>();
        services.AddSingleton<IAnalysisHandler, SurvivalCountsHandler>();
        services.AddSingleton<IAnalysisHandler, CrossTabHandler>();
        services.AddSingleton<IAnalysisHandler, Table1SummaryHandler>();
        services.AddSingleton<IAnalysisHandler, QuantileCountsHandler>();
        services.AddSingleton<INodeAnalyst, RegionAnalyst>();
        services.AddSingleton<ClippingFitMod>();
        services.AddSingleton(sp => new ScaffoldFitMod(sp.GetRequiredService<GlobalModelSource>(), sp.GetRequiredService<ControlVariateStore>()));
        // Clipping outermost: it clips the whole upload, SCAFFOLD's control delta included.
        services.AddSingleton<INodeTaskHandler>(sp => new TrainerTaskHandler(sp.GetRequiredService<CoordinatorChannel>().Calls,
            sp.GetRequiredService<GlobalModelSource>(), sp.GetRequiredService<INodeTrainer>(),
            [sp.GetRequiredService<ClippingFitMod>(), sp.GetRequiredService<ScaffoldFitMod>()],
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TrainerTaskHandler>>(), sp.GetRequiredService<INodeAnalyst>(),
            sp.GetRequiredService<IReleaseObserver>(), sp.GetRequiredService<IJobAdmission>()));
        // Renewed certificate, key or CA files are used without a restart (NodeAgent:Tls:ReloadSeconds).
        services.AddSingleton<AgentTlsReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentTlsReloader>());
        services.AddHostedService<NodeAgentWorker>();
        return services;
    }

    /// <summary><paramref name="name"/> inside NodeAgent:StateDirectory, or null without a state folder (memory only).</summary>
    private static string? StateFolder(IServiceProvider sp, string name)
    {
        var state = sp.GetRequiredService<IOptions<NodeAgentOptions>>().Value.StateDirectory;
        return string.IsNullOrWhiteSpace(state) ? null : Path.Combine(state, name);
    }
}
