using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Models;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Models;

/// <summary>
/// The coordinator checks specs against <see cref="ModelCatalog"/> and <see cref="SchemaWidth"/>; the agent's zoo and
/// encoder must agree with both, and the zoo itself refuses a hyperparameter its model does not take.
/// </summary>
public sealed class ModelCatalogTests
{
    private readonly ModelZoo _zoo = new();

    [Fact]
    public void The_catalogue_lists_exactly_the_zoos_models_and_their_hyperparameters()
    {
        Assert.Equal(ModelCatalog.All.Select(m => m.Name).Order(), _zoo.Names.Order());
        foreach (var model in ModelCatalog.All)
            Assert.Equal(model.Hyperparameters, _zoo.Get(model.Name).Hyperparameters);
    }

    [Fact]
    public void A_hyperparameter_the_model_does_not_take_is_refused_by_the_zoo_too()
    {
        var spec = new ModelSpec { Name = "mlp", Hyperparameters = { ["hidden_size"] = "16" } };

        var error = Assert.Throws<ModelSpecException>(() => _zoo.Check(spec, new DataShape(13)));

        Assert.Contains("no hyperparameter 'hidden_size' (did you mean 'hidden_sizes'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_coordinators_width_is_the_encoders_layout()
    {
        var schema = new DatasetSchema
        {
            Features =
            {
                new FeatureColumn { Name = "age", Type = ColumnType.Numeric, Missing = new MissingValues { Strategy = MissingStrategy.Indicator } },
                new FeatureColumn { Name = "ward", Type = ColumnType.Categorical, Levels = { "a", "b", "c" } },
                new FeatureColumn { Name = "cp", Type = ColumnType.Categorical, Levels = { "1", "2", "3", "4" }, Encoding = CategoricalEncoding.OneHotDropFirst,
                    Missing = new MissingValues { Strategy = MissingStrategy.Indicator } },
                new FeatureColumn { Name = "smoker", Type = ColumnType.Boolean },
            },
            Label = new LabelColumn { Name = "y", Task = LabelTask.Regression },
        };

        Assert.Equal(SchemaEncoder.Layout(schema).Count, SchemaWidth.Of(schema));
        Assert.Equal(10, SchemaWidth.Of(schema));
    }
}
