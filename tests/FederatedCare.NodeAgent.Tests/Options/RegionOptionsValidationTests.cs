using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Tests.Options;

/// <summary>
/// NodeAgent:Region is an identifier (no spaces) compared in NFC; NodeAgent:DisplayName carries what people read,
/// spaces and all.
/// </summary>
public sealed class RegionOptionsValidationTests
{
    private static IEnumerable<string> Errors(string region, string displayName = "") => new NodeAgentOptionsValidator().Validate(null,
        new NodeAgentOptions { Region = region, DisplayName = displayName, Datasets = { ["s"] = new DatasetOptions { Path = "s.csv", Format = "csv" } } })
        .Failures ?? [];

    [Fact]
    public void A_region_with_spaces_is_refused_naming_the_display_name_setting()
    {
        var error = Assert.Single(Errors("Region Jönköpings län"));
        Assert.StartsWith("NodeAgent:Region: character ' ' (U+0020) at index 6 is not allowed;", error, StringComparison.Ordinal);
        Assert.Contains("--NodeAgent:DisplayName=Region Jönköpings län", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_display_name_with_spaces_beside_a_plain_identifier_passes_and_one_with_a_control_character_does_not()
    {
        Assert.Empty(Errors("Jonkoping", "Region Jönköpings län"));
        Assert.Empty(Errors("Vastra_Gotaland", "Västra Götalandsregionen"));
        Assert.Equal(["NodeAgent:DisplayName: character U+000A at index 6 is not allowed (control characters and broken UTF-16 are refused)."],
            Errors("Halland", "Region\nHalland"));
    }

    [Fact]
    public void A_decomposed_region_in_the_configuration_is_used_in_NFC()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NodeAgent:Region"] = "Ska\u030Ane",
            ["NodeAgent:DisplayName"] = "Region Ska\u030Ane",
            ["NodeAgent:Datasets:s:Path"] = "s.csv",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddNodeAgent(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<NodeAgentOptions>>().Value;

        Assert.Equal(("Sk\u00E5ne", "Region Sk\u00E5ne"), (options.Region, options.DisplayName));
    }
}
