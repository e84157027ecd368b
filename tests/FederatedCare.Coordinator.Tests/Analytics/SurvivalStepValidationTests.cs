using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Analytics;

/// <summary>Kaplan–Meier, log-rank and cross-tab steps are checked at StartJob, each refusal naming its field.</summary>
public sealed class SurvivalStepValidationTests
{
    private static readonly StrategyRegistry Strategies = new(BuiltInStrategies.All);

    private static string? Validate(AnalysisStep step, Action<JobSpec>? change = null)
    {
        var spec = AnalysisSpecValidationTests.CoxSpec();
        spec.Analysis.Steps.Add(step);
        change?.Invoke(spec);
        return JobSpecValidator.Validate(spec, Strategies);
    }

    [Fact]
    public void Valid_steps_pass()
    {
        Assert.Null(Validate(new AnalysisStep { KaplanMeier = new KaplanMeierSpec { SummaryYears = { 1, 2, 5 } } }));
        Assert.Null(Validate(new AnalysisStep { LogRank = new LogRankSpec { BinWidth = 30.4375 } }));
        Assert.Null(Validate(new AnalysisStep { Crosstab = new CrossTabSpec { Rows = "size", Columns = "rfs" } }));
        Assert.Null(Validate(new AnalysisStep { Crosstab = new CrossTabSpec { Rows = "age", RowLevels = { "40", "50" }, Columns = "size" } }));
    }

    [Fact]
    public void Bad_bin_widths_summary_times_and_columns_are_refused_by_field()
    {
        Assert.Equal("spec.analysis.steps[1].kaplan_meier.bin_width must be a finite number >= 0 (0: exact event times), got -1.",
            Validate(new AnalysisStep { KaplanMeier = new KaplanMeierSpec { BinWidth = -1 } }));
        Assert.Equal("spec.analysis.steps[1].kaplan_meier.summary_years must be finite, >= 0 and ascending; [1] is 1.",
            Validate(new AnalysisStep { KaplanMeier = new KaplanMeierSpec { SummaryYears = { 2, 1 } } }));
        Assert.Equal("spec.analysis.steps[1].crosstab.rows: 'grade' is not a feature of spec.schema nor its event column.",
            Validate(new AnalysisStep { Crosstab = new CrossTabSpec { Rows = "grade", Columns = "size" } }));
        Assert.Equal("spec.analysis.steps[1].crosstab.rows_levels: 'age' is numeric; list the levels to count.",
            Validate(new AnalysisStep { Crosstab = new CrossTabSpec { Rows = "age", Columns = "size" } }));
    }

    [Fact]
    public void Survival_steps_need_a_survival_label()
    {
        var problem = Validate(new AnalysisStep { LogRank = new LogRankSpec() }, spec =>
        {
            spec.Analysis.Steps.RemoveAt(0);
            spec.Schema.Label = new LabelColumn { Name = "rfs", Task = LabelTask.Binary, PositiveLevel = "1", Levels = { "0", "1" } };
        });
        Assert.Equal("spec.analysis.steps[0].log_rank: needs a survival label (spec.schema.label.task LABEL_TASK_SURVIVAL with event_column).", problem);
    }
}
