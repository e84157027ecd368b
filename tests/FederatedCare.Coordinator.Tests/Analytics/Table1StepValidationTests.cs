using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Analytics;

/// <summary>A Table 1 step is checked at StartJob, each refusal naming its field.</summary>
public sealed class Table1StepValidationTests
{
    private static readonly StrategyRegistry Strategies = new(BuiltInStrategies.All);

    private static string? Validate(Table1Spec table1)
    {
        var spec = AnalysisSpecValidationTests.CoxSpec();
        spec.Analysis.Steps.Add(new AnalysisStep { Table1 = table1 });
        return JobSpecValidator.Validate(spec, Strategies);
    }

    [Fact]
    public void A_Table_1_of_numeric_features_categorical_features_and_the_event_column_passes() =>
        Assert.Null(Validate(new Table1Spec
        {
            Numeric = { "age" },
            Categorical = { new Table1Category { Column = "size" }, new Table1Category { Column = "rfs" } },
        }));

    [Fact]
    public void Bad_columns_and_levels_are_refused_by_field()
    {
        Assert.Equal("spec.analysis.steps[1].table1: list at least one column in numeric or categorical.", Validate(new Table1Spec()));
        Assert.Equal("spec.analysis.steps[1].table1.numeric[0]: 'grade' is not a feature of spec.schema.", Validate(new Table1Spec { Numeric = { "grade" } }));
        Assert.Equal("spec.analysis.steps[1].table1.numeric[0]: 'size' is categorical; list it under categorical.", Validate(new Table1Spec { Numeric = { "size" } }));
        Assert.Equal("spec.analysis.steps[1].table1.numeric[1]: 'age' is listed twice.", Validate(new Table1Spec { Numeric = { "age", "age" } }));
        Assert.Equal("spec.analysis.steps[1].table1.categorical[0].column: 'rfstime' is not a feature of spec.schema nor its event column.",
            Validate(new Table1Spec { Categorical = { new Table1Category { Column = "rfstime" } } }));
        Assert.Equal("spec.analysis.steps[1].table1.categorical[0].levels: 'age' is numeric; list the levels to count.",
            Validate(new Table1Spec { Categorical = { new Table1Category { Column = "age" } } }));
        Assert.Equal("spec.analysis.steps[1].table1.categorical[0].levels: at most 100 distinct levels.",
            Validate(new Table1Spec { Categorical = { new Table1Category { Column = "size", Levels = { "<=20", "<=20" } } } }));
        Assert.Equal("spec.analysis.steps[1].table1.categorical[0]: 'age' is listed twice.",
            Validate(new Table1Spec { Numeric = { "age" }, Categorical = { new Table1Category { Column = "age", Levels = { "40" } } } }));
    }
}
