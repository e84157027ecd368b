using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Tests.Options;

/// <summary>
/// A dataset's mapping is checked at start like every node option: a wrong value is one line naming its key, a
/// misspelt key stops the agent, and a header column named in ColumnNames is an error instead of being ignored.
/// </summary>
public sealed class MappingOptionsValidationTests
{
    private const string Key = "NodeAgent:Datasets:d";

    public static TheoryData<string, Action<DatasetOptions>, string> Wrong => new()
    {
        {
            "cut without a closed side", d => d.Mapping.Columns["size_mm"] = new() { Cut = new() { Breaks = [20, 50], Levels = ["a", "b", "c"] } },
            $"{Key}:Mapping:Columns:size_mm:Cut:Closed must be 'right'"
        },
        {
            "cut points not increasing", d => d.Mapping.Columns["size_mm"] = new() { Cut = new() { Breaks = [50, 20], Closed = "right", Levels = ["a", "b", "c"] } },
            $"{Key}:Mapping:Columns:size_mm:Cut:Breaks must be strictly increasing (50 then 20)."
        },
        {
            "one level too few", d => d.Mapping.Columns["size_mm"] = new() { Cut = new() { Breaks = [20, 50], Closed = "left", Levels = ["a", "b"] } },
            $"{Key}:Mapping:Columns:size_mm:Cut:Levels must name 3 levels, one per interval, lowest first (has 2)."
        },
        {
            "recoding and a factor", d => d.Mapping.Columns["size_mm"] = new() { Values = { ["x"] = "1" }, Factor = 10 },
            $"{Key}:Mapping:Columns:size_mm: Values recodes texts and cannot be combined with Factor or Cut (numbers)."
        },
        {
            "a zero factor", d => d.Mapping.Columns["size_mm"] = new() { Factor = 0 },
            $"{Key}:Mapping:Columns:size_mm:Factor must be a finite number other than 0 (was 0)."
        },
        {
            "two columns onto one name", d => { d.Mapping.Columns["a"] = new() { Rename = "x" }; d.Mapping.Columns["b"] = new() { Rename = "x" }; },
            $"{Key}:Mapping:Columns:b: 'b' and 'a' would both become column 'x'."
        },
        {
            "a recoding to nothing", d => d.Mapping.Columns["sex"] = new() { Values = { ["k"] = "" } },
            $"{Key}:Mapping:Columns:sex:Values:k is empty"
        },
        {
            "column names although the file has a header", d => d.ColumnNames = ["a", "b"],
            $"{Key}:ColumnNames is set, but HasHeader is true and the file's header names the columns"
        },
        {
            "a mapped column that ColumnNames lacks", d => { d.HasHeader = false; d.ColumnNames = ["a", "b"]; d.Mapping.Columns["c"] = new() { Rename = "x" }; },
            $"{Key}:Mapping:Columns:c: the file has no column 'c' (ColumnNames: a, b)."
        },
        {
            "a mapping of a fixed-format dataset", d => { d.Format = DatasetFormats.UciHeartDisease; d.Mapping.Columns["a"] = new() { Rename = "x" }; },
            $"{Key}:Mapping is set, but a uci-heart-disease dataset has a fixed layout"
        },
    };

    [Theory]
    [MemberData(nameof(Wrong))]
    public void A_wrong_mapping_is_one_line_naming_its_key(string what, Action<DatasetOptions> spoil, string expected)
    {
        var dataset = new DatasetOptions { Format = DatasetFormats.Csv, Path = "extract.csv" };
        spoil(dataset);

        var failures = new NodeAgentOptionsValidator().Validate(null, new NodeAgentOptions { Region = "Orebro", Datasets = { ["d"] = dataset } }).Failures ?? [];

        var failure = Assert.Single(failures);
        Assert.True(failure.StartsWith(expected, StringComparison.Ordinal), $"{what}: {failure}");
    }

    [Fact]
    public void A_misspelt_mapping_key_stops_the_agent_naming_the_key()
    {
        using var host = NodeAgentHost.CreateBuilder(
            ["--NodeAgent:Region=Orebro", "--NodeAgent:Datasets:d:Format=csv", "--NodeAgent:Datasets:d:Path=extract.csv",
             "--NodeAgent:Datasets:d:Mapping:Columns:event:Renam=rfs"]).Build();

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IOptions<NodeAgentOptions>>().Value);

        Assert.Contains("Renam", NodeAgentHost.StartupReason(error), StringComparison.Ordinal);
    }
}
