using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Configuration;

namespace FederatedCare.NodeAgent.Tests.Data.Tabular;

/// <summary>The shipped job spec's schema and node configurations reproduce the dedicated UCI loader bit for bit.</summary>
public sealed class GenericHeartDiseaseTests
{
    public static TheoryData<string, string> Nodes => new()
    {
        { "halland", "processed.cleveland.data" },
        { "karolinska", "processed.hungarian.data" },
        { "sahlgrenska", "processed.switzerland.data" },
        { "orebro", "processed.va.data" },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void The_generic_csv_path_gives_the_uci_loaders_exact_matrices(string node, string file)
    {
        var options = NodeConfig(node);
        var schema = JobSpecFile.Load(Path.Combine(Root, "examples", "heart-disease", "fedavg.json")).Schema;

        var generic = TabularPreparer.Prepare("heart-disease", options.Datasets["heart-disease"], schema, null).Data!;
        var oracle = TestData.Load(file);

        Assert.Equal(oracle.FeatureNames, generic.FeatureNames);
        Assert.Equal(oracle.Train.Features, generic.Train.Features);
        Assert.Equal(oracle.Train.Labels, generic.Train.Labels);
        Assert.Equal(oracle.Train.SourceLines, generic.Train.SourceLines);
        Assert.Equal(oracle.Test.Features, generic.Test.Features);
        Assert.Equal(oracle.Test.Labels, generic.Test.Labels);
    }

    internal static string Root => Path.GetFullPath(Path.Combine(TestData.HeartDiseaseDirectory, "..", ".."));

    /// <summary>A node configuration file bound as the agent binds it (--config, paths relative to the file).</summary>
    internal static NodeAgentOptions NodeConfig(string node)
    {
        var configuration = new ConfigurationManager();
        configuration.AddCommandLine([]);
        ConfigFile.Add(configuration, ["--config", Path.Combine(Root, "examples", "heart-disease", "nodes", node + ".json")]);
        var options = new NodeAgentOptions();
        configuration.GetSection(NodeAgentOptions.SectionName).Bind(options);
        ConfigFile.ResolvePaths(options);
        return options;
    }
}
