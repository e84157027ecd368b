using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Contracts;

/// <summary>Region identifiers (NFC, no spaces) and display names (spaces allowed), as every entry point checks them.</summary>
public class RegionNamesTests
{
    private const string ComposedSkane = "Sk\u00E5ne";
    private const string DecomposedSkane = "Ska\u030Ane";

    [Fact]
    public void A_decomposed_and_a_composed_name_normalise_to_the_same_identifier()
    {
        Assert.NotEqual(ComposedSkane, DecomposedSkane);
        Assert.Equal(ComposedSkane, RegionNames.Normalize(DecomposedSkane));
        Assert.Same(ComposedSkane, RegionNames.Normalize(ComposedSkane));
        Assert.Null(RegionNames.IdentifierProblem(RegionNames.Normalize(DecomposedSkane)));
    }

    [Theory]
    [InlineData("Halland")]
    [InlineData("Örebro")]
    [InlineData("Jönköping")]
    [InlineData("Vastra_Gotaland")]
    [InlineData("St.Göran-2")]
    [InlineData("東京")]
    public void Letters_of_any_script_digits_and_dash_underscore_dot_make_an_identifier(string id) => Assert.Null(RegionNames.IdentifierProblem(id));

    [Theory]
    [InlineData("Region Jönköpings län", "character ' ' (U+0020) at index 6 is not allowed; a region identifier has letters, digits, '-', '_' and '.' only (no spaces: put those in the region's display name).")]
    [InlineData("Halland\r\n", "character U+000D at index 7 is not allowed")]
    [InlineData("Halland😀", "character U+D83D at index 7 is not allowed")]
    [InlineData("-Halland", "must start with a letter or digit.")]
    [InlineData("", "required (1 to 64 characters).")]
    public void Spaces_controls_symbols_and_a_leading_dash_are_refused_in_an_identifier(string id, string expected) =>
        Assert.StartsWith(expected, RegionNames.IdentifierProblem(id), StringComparison.Ordinal);

    [Theory]
    [InlineData("Region Jönköpings län", null)]
    [InlineData("Västra Götalandsregionen", null)]
    [InlineData("", null)]
    [InlineData("Region\u001B[2K", "character U+001B at index 6 is not allowed")]
    [InlineData(" Region Halland", "no leading or trailing space.")]
    public void A_display_name_may_have_spaces_but_no_control_characters(string name, string? expected)
    {
        var problem = RegionNames.DisplayNameProblem(name);
        if (expected is null) Assert.Null(problem);
        else Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }
}
