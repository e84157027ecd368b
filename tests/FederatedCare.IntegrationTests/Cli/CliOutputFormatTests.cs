using System.Text.Json;
using FederatedCare.Cli.Output;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>The pieces of <c>--output json|csv</c>: RFC 4180 quoting and the JSON settings (camelCase, numbers, non-ASCII text).</summary>
public sealed class CliOutputFormatTests
{
    [Fact]
    public void Csv_quotes_only_fields_with_a_comma_a_quote_or_a_line_break()
    {
        var text = CsvText.Format(["region", "message"], [["Örebro", "plain"], ["Halland", "waiting, \"4\" clients\nnow"]]);

        Assert.Equal("region,message\nÖrebro,plain\nHalland,\"waiting, \"\"4\"\" clients\nnow\"\n", text);
    }

    [Fact]
    public void Json_names_are_camel_case_numbers_stay_numbers_and_text_is_not_escaped()
    {
        var json = JsonSerializer.Serialize(new { NumExamples = 42L, Loss = 0.5, Auc = double.NaN, Region = "Örebro" }, JsonOutput.Options);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(42, document.RootElement.GetProperty("numExamples").GetInt64());
        Assert.Equal(JsonValueKind.Number, document.RootElement.GetProperty("loss").ValueKind);
        Assert.Equal("NaN", document.RootElement.GetProperty("auc").GetString());
        Assert.Contains("\"Örebro\"", json, StringComparison.Ordinal);
    }
}
