using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Tests.Options;

/// <summary>NodeAgent:Analysis and a dataset's SplitColumn are checked at start like every other node setting.</summary>
public sealed class AnalysisOptionsValidationTests
{
    private static NodeAgentOptions Options(Action<NodeAgentOptions> change)
    {
        var options = new NodeAgentOptions { Region = "Halland", Datasets = { ["s"] = new DatasetOptions { Path = "s.csv", Format = "csv" } } };
        change(options);
        return options;
    }

    private static IEnumerable<string> Errors(NodeAgentOptions options) => new NodeAgentOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_defaults_release_counts_of_5_and_no_exact_event_times()
    {
        var defaults = new AnalysisOptions();
        Assert.Equal((5, false), (defaults.MinCellCount, defaults.ReleaseExactEventTimes));
        Assert.Empty(Errors(Options(_ => { })));
    }

    [Fact]
    public void A_minimum_cell_count_below_1_and_a_split_column_beside_a_split_file_are_named()
    {
        Assert.Equal(["NodeAgent:Analysis:MinCellCount must be at least 1 (was 0)."], Errors(Options(o => o.Analysis.MinCellCount = 0)));
        Assert.Equal(["NodeAgent:Datasets:s: set SplitColumn or SplitFile, not both."],
            Errors(Options(o => (o.Datasets["s"].SplitColumn, o.Datasets["s"].SplitFile) = ("split", "split.csv"))));
    }

    [Fact]
    public void A_misspelt_analysis_key_stops_the_agent()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NodeAgent:Region"] = "Halland",
            ["NodeAgent:Datasets:s:Path"] = "s.csv",
            ["NodeAgent:Analysis:MinCellCout"] = "10",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddNodeAgent(configuration).BuildServiceProvider();
        var e = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<NodeAgentOptions>>().Value);
        Assert.Contains("MinCellCout", e.Message);
    }
}
