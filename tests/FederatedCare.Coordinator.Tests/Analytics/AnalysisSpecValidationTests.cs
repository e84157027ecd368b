using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Analytics;

/// <summary>
/// An analysis job and a survival label are checked at StartJob, each refusal naming its field; a training job takes
/// a survival label only with the <c>cox</c> model, and <c>cox</c> only a survival label.
/// </summary>
public sealed class AnalysisSpecValidationTests
{
    private static readonly StrategyRegistry Strategies = new(BuiltInStrategies.All);

    internal static JobSpec CoxSpec() => new()
    {
        Name = "cox",
        Dataset = "breast-cancer-survival",
        MinFitClients = 2,
        RoundDeadlineSeconds = 60,
        Schema = new DatasetSchema
        {
            Features =
            {
                new FeatureColumn { Name = "age", Type = ColumnType.Numeric },
                new FeatureColumn { Name = "size", Type = ColumnType.Categorical, Levels = { "<=20", "20-50", ">50" } },
            },
            Label = new LabelColumn { Name = "rfstime", Task = LabelTask.Survival, EventColumn = "rfs" },
            IgnoredColumns = { "pid" },
        },
        Analysis = new AnalysisSpec { Steps = { new AnalysisStep { Cox = new CoxSpec { Concordance = true } } } },
    };

    private static string? Validate(Action<JobSpec> change)
    {
        var spec = CoxSpec();
        change(spec);
        return JobSpecValidator.Validate(spec, Strategies);
    }

    [Fact]
    public void A_Cox_analysis_job_passes() => Assert.Null(Validate(_ => { }));

    [Theory]
    [InlineData("model", "spec.model is a training setting; an analysis job (spec.analysis) trains nothing: remove it.")]
    [InlineData("rounds", "spec.rounds is a training setting; an analysis job (spec.analysis) trains nothing: remove it.")]
    [InlineData("no_schema", "spec.schema is required for an analysis job: every region checks and encodes its file with it.")]
    [InlineData("no_steps", "spec.analysis.steps is empty; list at least one analysis (cox, kaplan_meier, log_rank, table1, crosstab).")]
    [InlineData("empty_step", "spec.analysis.steps[0] names no analysis; give one of: cox, kaplan_meier, log_rank, table1, crosstab.")]
    [InlineData("not_survival", "spec.analysis.steps[0].cox: a Cox model needs a survival label (spec.schema.label.task LABEL_TASK_SURVIVAL with event_column).")]
    [InlineData("no_event_column", "spec.schema.label (rfstime): a survival label needs event_column (the 0/1 event indicator); name is the time column.")]
    [InlineData("event_is_feature", "spec.schema.label.event_column (age) is also the time column or a feature.")]
    [InlineData("normalised", "spec.schema.normalization: analyses work on the data's own scale; leave it unset or NORMALIZATION_KIND_NONE.")]
    [InlineData("one_hot", "spec.schema.features[1] (size): analyses use treatment contrasts (the first level the reference); leave encoding unset or CATEGORICAL_ENCODING_ONE_HOT_DROP_FIRST.")]
    [InlineData("imputed", "spec.schema.features[0] (age): analyses drop rows with a missing value (as R's na.omit); leave missing unset or MISSING_STRATEGY_DROP_ROW.")]
    [InlineData("ties", "spec.analysis.steps[0].cox.ties 9 is not one of COX_TIES_EFRON, COX_TIES_BRESLOW.")]
    [InlineData("tolerance", "spec.analysis.steps[0].cox.tolerance must be in [0, 1) (0: 1E-09), got 2.")]
    [InlineData("iterations", "spec.analysis.steps[0].cox.max_iterations must be in [0, 1000] (0: 20), got -1.")]
    [InlineData("min_cell_count", "spec.analysis.min_cell_count must be >= 0 (0: each region's own minimum), got -3.")]
    public void A_bad_analysis_job_is_refused_naming_the_field(string problem, string expected)
    {
        Assert.Equal(expected, Validate(spec =>
        {
            var cox = spec.Analysis.Steps[0].Cox;
            switch (problem)
            {
                case "model": spec.Model = new ModelSpec { Name = "cox" }; break;
                case "rounds": spec.Rounds = 3; break;
                case "no_schema": spec.Schema = null; break;
                case "no_steps": spec.Analysis.Steps.Clear(); break;
                case "empty_step": spec.Analysis.Steps[0] = new AnalysisStep(); break;
                case "not_survival": spec.Schema.Label = new LabelColumn { Name = "rfs", Task = LabelTask.Binary, PositiveLevel = "1", Levels = { "0", "1" } }; break;
                case "no_event_column": spec.Schema.Label.EventColumn = ""; break;
                case "event_is_feature": spec.Schema.Label.EventColumn = "age"; break;
                case "normalised": spec.Schema.Normalization = new Normalization { Kind = NormalizationKind.ZscoreLocal }; break;
                case "one_hot": spec.Schema.Features[1].Encoding = CategoricalEncoding.OneHot; break;
                case "imputed": spec.Schema.Features[0].Missing = new MissingValues { Strategy = MissingStrategy.ImputeMean }; break;
                case "ties": cox.Ties = (CoxTies)9; break;
                case "tolerance": cox.Tolerance = 2; break;
                case "iterations": cox.MaxIterations = -1; break;
                case "min_cell_count": spec.Analysis.MinCellCount = -3; break;
            }
        }));
    }

    // A training job on the Cox schema (4 encoded columns: age and size one-hot) with the given model.
    private static JobSpec Training(string model, LabelColumn? label = null)
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Schema = CoxSpec().Schema;
        if (label is not null) spec.Schema.Label = label;
        spec.Model = new ModelSpec { Name = model };
        return spec;
    }

    [Fact]
    public void A_training_job_with_a_survival_label_trains_the_cox_model()
    {
        var spec = Training("cox");
        spec.Model.Hyperparameters["in_features"] = "4";
        Assert.Null(JobSpecValidator.Validate(spec, Strategies));
    }

    [Theory]
    [InlineData("mlp", "LABEL_TASK_BINARY, LABEL_TASK_MULTICLASS, LABEL_TASK_REGRESSION")]
    [InlineData("logistic_regression", "LABEL_TASK_BINARY")]
    [InlineData("linear_regression", "LABEL_TASK_REGRESSION")]
    public void A_survival_label_with_another_model_is_refused_naming_the_model(string model, string learns)
    {
        Assert.Equal($"spec.model.name {model} cannot learn spec.schema.label.task LABEL_TASK_SURVIVAL; it learns {learns}.",
            JobSpecValidator.Validate(Training(model), Strategies));
    }

    [Fact]
    public void The_cox_model_with_a_label_that_is_not_survival_is_refused()
    {
        var binary = new LabelColumn { Name = "rfs", Task = LabelTask.Binary, PositiveLevel = "1", Levels = { "0", "1" } };
        Assert.Equal("spec.model.name cox cannot learn spec.schema.label.task LABEL_TASK_BINARY; it learns LABEL_TASK_SURVIVAL.",
            JobSpecValidator.Validate(Training("cox", binary), Strategies));
    }

    [Fact]
    public void The_cox_models_width_is_checked_against_the_schema()
    {
        var spec = Training("cox");
        spec.Model.Hyperparameters["in_features"] = "5";
        Assert.Equal("spec.model.hyperparameters.in_features is 5 but spec.schema encodes 4 input columns.", JobSpecValidator.Validate(spec, Strategies));
    }
}
