using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Tests.Options;

/// <summary>NodeAgent:Policy is checked at start: every wrong setting named by its key, a misspelt key stops the agent.</summary>
public sealed class PolicyOptionsValidationTests
{
    private static NodeAgentOptions Options(Action<PolicyOptions> change)
    {
        var policy = new PolicyOptions { Datasets = { ["s"] = new PolicyDatasetOptions { Columns = ["age"] } } };
        change(policy);
        return new NodeAgentOptions { Region = "Halland", Datasets = { ["s"] = new DatasetOptions { Path = "s.csv", Format = "csv" } }, Policy = policy };
    }

    private static IEnumerable<string> Errors(NodeAgentOptions options) => new NodeAgentOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void A_policy_listing_a_dataset_and_its_columns_is_valid_and_no_policy_is_too()
    {
        Assert.Empty(Errors(Options(_ => { })));
        Assert.Empty(Errors(new NodeAgentOptions { Region = "Halland", Datasets = { ["s"] = new DatasetOptions { Path = "s.csv", Format = "csv" } } }));
    }

    [Fact]
    public void Each_wrong_setting_is_named_by_its_key()
    {
        (Action<PolicyOptions> Change, string Error)[] cases =
        [
            (p => p.Approval = "sometimes", "NodeAgent:Policy:Approval 'sometimes' must be auto or manual."),
            (p => p.Approval = "manual", "NodeAgent:Policy:Approval manual needs NodeAgent:StateDirectory: pending jobs and decisions are kept there."),
            (p => p.Datasets["s"].Columns.Clear(), "NodeAgent:Policy:Datasets:s:Columns must list at least one column, none empty."),
            (p => p.Datasets["other"] = new PolicyDatasetOptions { Columns = ["x"] }, "NodeAgent:Policy:Datasets:other is not one of this node's datasets (s)."),
            (p => p.JobKinds.Add("genomics"), "NodeAgent:Policy:JobKinds 'genomics' is unknown; kinds: training, statistics, survival."),
            (p => p.MaxEpsilon = 0, "NodeAgent:Policy:MaxEpsilon must be a positive number (was 0); leave it out for no limit."),
            (p => p.MinRegionsPerAggregate = 0, "NodeAgent:Policy:MinRegionsPerAggregate must be at least 1 (was 0)."),
            (p => p.MaxRounds = -1, "NodeAgent:Policy:MaxRounds must be 0 (no limit) or more (was -1)."),
        ];
        foreach (var (change, error) in cases) Assert.Equal([error], Errors(Options(change)));
    }

    [Fact]
    public void A_misspelt_policy_key_stops_the_agent()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NodeAgent:Region"] = "Halland",
            ["NodeAgent:Datasets:s:Path"] = "s.csv",
            ["NodeAgent:Policy:Datasets:s:Columns:0"] = "age",
            ["NodeAgent:Policy:MaxEpsillon"] = "1",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddNodeAgent(configuration).BuildServiceProvider();
        var e = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<NodeAgentOptions>>().Value);
        Assert.Contains("MaxEpsillon", e.Message);
    }
}
