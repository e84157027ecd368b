using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// What used to be accepted at submission and then trained the wrong thing or failed in every region: a misspelt
/// hyperparameter, a model the agents do not have, a width or task that cannot fit the schema, a binary label whose
/// other values were silently negatives.
/// </summary>
public sealed class ModelSpecValidationTests
{
    private static readonly StrategyRegistry Strategies = new(BuiltInStrategies.All);

    // 3 numeric + a 4-level categorical without its first level + an indicator = 7 encoded columns.
    private static DatasetSchema Schema(LabelColumn label) => new()
    {
        Features =
        {
            new FeatureColumn { Name = "age", Type = ColumnType.Numeric },
            new FeatureColumn { Name = "chol", Type = ColumnType.Numeric, Missing = new MissingValues { Strategy = MissingStrategy.Indicator } },
            new FeatureColumn { Name = "smoker", Type = ColumnType.Boolean },
            new FeatureColumn { Name = "cp", Type = ColumnType.Categorical, Levels = { "1", "2", "3", "4" }, Encoding = CategoricalEncoding.OneHotDropFirst },
        },
        Label = label,
    };

    private static readonly LabelColumn Binary = new() { Name = "num", Task = LabelTask.Binary, PositiveAbove = 0 };

    private static string? Validate(string model, DatasetSchema? schema, params (string Key, string Value)[] hyperparameters)
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Model = new ModelSpec { Name = model };
        foreach (var (key, value) in hyperparameters) spec.Model.Hyperparameters[key] = value;
        spec.Schema = schema;
        return JobSpecValidator.Validate(spec, Strategies);
    }

    [Fact]
    public void A_misspelt_hyperparameter_is_refused_naming_the_key_and_the_one_meant()
    {
        Assert.Equal(
            "spec.model.hyperparameters: model mlp has no hyperparameter 'hidden_size' (did you mean 'hidden_sizes'? it takes: activation, dropout, hidden_sizes, in_features).",
            Validate("mlp", Schema(Binary), ("hidden_size", "16,8")));
        Assert.Equal(
            "spec.model.hyperparameters: model logistic_regression has no hyperparameter 'hidden_sizes' (it takes: in_features).",
            Validate("logistic_regression", null, ("hidden_sizes", "16")));
        Assert.Null(Validate("mlp", Schema(Binary), ("hidden_sizes", "16,8"), ("activation", "tanh"), ("in_features", "7")));
    }

    [Fact]
    public void With_a_schema_an_unknown_model_is_refused_without_one_it_is_the_agents_business()
    {
        Assert.Equal(
            "spec.model.name 'random_forest' is not a model the node agents have; use one of logistic_regression, multinomial_logistic_regression, linear_regression, mlp, cox.",
            Validate("random_forest", Schema(Binary)));
        Assert.Null(Validate("bench", null));
    }

    [Fact]
    public void Widths_and_the_label_task_must_fit_the_schema()
    {
        Assert.Equal("spec.model.hyperparameters.in_features is 13 but spec.schema encodes 7 input columns.",
            Validate("logistic_regression", Schema(Binary), ("in_features", "13")));
        Assert.Equal("spec.model.hyperparameters.in_features 'x' must be a positive integer.", Validate("mlp", null, ("in_features", "x")));
        Assert.Equal("spec.model.hyperparameters.hidden_sizes '16,0' must be positive integers separated by commas.",
            Validate("mlp", Schema(Binary), ("hidden_sizes", "16,0")));
        var regression = new LabelColumn { Name = "los", Task = LabelTask.Regression };
        Assert.Equal("spec.model.name logistic_regression cannot learn spec.schema.label.task LABEL_TASK_REGRESSION; it learns LABEL_TASK_BINARY.",
            Validate("logistic_regression", Schema(regression)));
        var classes = new LabelColumn { Name = "outcome", Task = LabelTask.Multiclass, Levels = { "home", "readmitted", "deceased" } };
        Assert.Equal("spec.model.hyperparameters.num_classes is 2 but spec.schema.label has 3 levels.",
            Validate("multinomial_logistic_regression", Schema(classes), ("num_classes", "2")));
        Assert.Null(Validate("multinomial_logistic_regression", Schema(classes), ("num_classes", "3"), ("in_features", "7")));
    }

    [Fact]
    public void A_binary_label_by_positive_level_declares_every_value_it_may_hold()
    {
        var label = new LabelColumn { Name = "rfs", Task = LabelTask.Binary, PositiveLevel = "1" };
        Assert.Contains("a binary label with positive_level '1' must list every value the column may hold in levels",
            Validate("logistic_regression", Schema(label)), StringComparison.Ordinal);
        label.Levels.Add(["0", "2"]);
        Assert.Contains("must list every value", Validate("logistic_regression", Schema(label)), StringComparison.Ordinal);
        label.Levels[1] = "1";
        Assert.Null(Validate("logistic_regression", Schema(label)));
        var above = new LabelColumn { Name = "num", Task = LabelTask.Binary, PositiveAbove = 0, Levels = { "0", "1" } };
        Assert.Contains("levels go with positive_level", Validate("logistic_regression", Schema(above)), StringComparison.Ordinal);
    }
}
