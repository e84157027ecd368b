using FederatedCare.Protos.V1;
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
    [InlineData("""{ "model": { "name": "mlp", "hyperparameters": { "hidden_sizes": 8 } } }""",
        "model.hyperparameters.hidden_sizes: Unsupported conversion from JSON number for field type String (this value is text: write it in quotes, e.g. \"8\")")]
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

    [Theory]
    [InlineData("""{ "mode": "local" }""", "mode: Invalid enum value: local for enum type: federatedcare.v1.JobMode (valid values: JOB_MODE_FEDERATED, JOB_MODE_LOCAL)")]
    [InlineData("""{ "local": { "optimizer": "sgd" } }""", "local.optimizer: Invalid enum value: sgd for enum type: federatedcare.v1.LocalOptimizer (valid values: LOCAL_OPTIMIZER_SGD, LOCAL_OPTIMIZER_ADAM)")]
    [InlineData("""{ "update_encoding": "half" }""", "(valid values: TENSOR_ENCODING_FLOAT32, TENSOR_ENCODING_FLOAT16, TENSOR_ENCODING_BFLOAT16)")]
    [InlineData("""{ "privacy": { "clipping": "client" } }""", "(valid values: CLIPPING_SIDE_SERVER, CLIPPING_SIDE_CLIENT)")]
    [InlineData("""{ "schema": { "label": { "name": "rfs", "task": "LABEL_TASK_ORDINAL" } } }""",
        "schema.label.task: Invalid enum value: LABEL_TASK_ORDINAL for enum type: federatedcare.v1.LabelTask (valid values: LABEL_TASK_BINARY, LABEL_TASK_MULTICLASS, LABEL_TASK_REGRESSION")]
    [InlineData("""{ "schema": { "features": [ { "name": "a", "type": "COLUMN_TYPE_TEXT" } ] } }""",
        "schema.features[0].type: Invalid enum value: COLUMN_TYPE_TEXT for enum type: federatedcare.v1.ColumnType (valid values: COLUMN_TYPE_NUMERIC, COLUMN_TYPE_CATEGORICAL, COLUMN_TYPE_BOOLEAN)")]
    public void A_bad_enum_value_is_reported_with_the_valid_ones_but_not_the_unset_default(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, json);
            var error = Assert.Throws<InvalidDataException>(() => JobSpecFile.Load(path));
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("_UNSPECIFIED", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_example_specs_spell_their_enums_as_the_contract_does()
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "../../../../../examples/heart-disease");
        Assert.Equal(JobMode.Local, JobSpecFile.Load(Path.Combine(examples, "local.json")).Mode);
        Assert.Equal(LocalOptimizer.Adam, JobSpecFile.Load(Path.Combine(examples, "local.json")).Local.Optimizer);
        Assert.Equal(ClippingSide.Server, JobSpecFile.Load(Path.Combine(examples, "fedavg-dp.json")).Privacy.Clipping);
    }

    [Fact]
    public void The_locator_gives_up_quietly_on_documents_it_cannot_narrow()
    {
        Assert.Null(JsonFieldLocator.Find("[1, 2]", _ => throw new FormatException()));
        Assert.Null(JsonFieldLocator.Find("{ broken", _ => throw new FormatException()));
        Assert.Null(JsonFieldLocator.Find("""{ "a": 1 }""", _ => { }));
    }
}
