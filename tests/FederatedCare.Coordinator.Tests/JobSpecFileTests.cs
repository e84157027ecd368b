using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Job spec files: a refused value is reported with the field it is in, not only the value.</summary>
public sealed class JobSpecFileTests
{
    [Theory]
    [InlineData("""{ "rounds": "many" }""", "rounds: Invalid numeric value")]
    [InlineData("""{ "strategy": { "name": "fedprox", "parameters": { "mu": "abc" } } }""", "strategy.parameters.mu: Invalid numeric value")]
    [InlineData("""{ "schema": { "features": [ { "name": "a" }, { "name": "b", "type": "COLUMN_TYPE_BOGUS" } ] } }""", "schema.features[1].type: Invalid enum value")]
    [InlineData("""{ "rounds": 3, "roundz": 3 }""", "roundz: Unknown field")]
    public void A_refused_value_is_reported_with_its_field(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, json);
            var error = Assert.Throws<InvalidDataException>(() => JobSpecFile.Load(path));
            Assert.Contains($"is not valid: {expected}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_locator_gives_up_quietly_on_documents_it_cannot_narrow()
    {
        Assert.Null(JsonFieldLocator.Find("[1, 2]", _ => throw new FormatException()));
        Assert.Null(JsonFieldLocator.Find("{ broken", _ => throw new FormatException()));
        Assert.Null(JsonFieldLocator.Find("""{ "a": 1 }""", _ => { }));
    }
}
