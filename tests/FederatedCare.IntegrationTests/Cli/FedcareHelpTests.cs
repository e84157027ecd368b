using System.CommandLine;
using FederatedCare.Cli.Commands;
using FederatedCare.Cli.Output;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>fedcare's <c>--help</c>: an example on every command, and <c>--output</c> on every command that prints data.</summary>
public sealed class FedcareHelpTests
{
    private static readonly RootCommand Root = FedcareCommand.Create();

    [Fact]
    public void Every_command_describes_itself_with_an_example()
    {
        Assert.All(Root.Subcommands.Prepend(Root), c => Assert.Matches(@"\nExample: fedcare \S", c.Description ?? ""));
    }

    [Theory]
    [InlineData("jobs", true)]
    [InlineData("nodes", true)]
    [InlineData("status", true)]
    [InlineData("rounds", true)]
    [InlineData("metrics", true)]
    [InlineData("crosssite", true)]
    [InlineData("audit", true)]
    [InlineData("logs", true)]
    [InlineData("analysis", false)]
    public void Commands_that_print_data_take_output(string name, bool csv)
    {
        var option = Assert.IsType<Option<OutputFormat>>(Assert.Single(Root.Subcommands.Single(c => c.Name == name).Options, o => o.Name == "--output"));

        string[] args = name is "jobs" or "nodes" or "audit" ? [name, "--output", "csv"] : [name, "x", "--output", "csv"];
        Assert.Equal(csv, Root.Parse(args).Errors.Count == 0);
        Assert.Contains("-o", option.Aliases);
    }
}
