using FederatedCare.Coordinator.Jobs;
using FederatedCare.Coordinator.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests;

public class JobSpecValidationTests
{
    private static readonly StrategyRegistry Strategies = new(BuiltInStrategies.All);

    internal static JobSpec ValidSpec() => new()
    {
        Name = "test",
        Dataset = "heart-disease",
        Model = new ModelSpec { Name = "logistic_regression" },
        Strategy = new StrategySpec { Name = "fedavg" },
        Rounds = 2,
        FractionFit = 1,
        MinFitClients = 2,
        MinAvailableClients = 2,
        Local = new LocalTrainingSpec { LocalSteps = 10, BatchSize = 4, Optimizer = "sgd", LearningRate = 0.01 },
        EvaluateEvery = 1,
        RoundDeadlineSeconds = 20,
        Seed = 42,
    };

    [Fact]
    public void A_valid_spec_passes() => Assert.Null(JobSpecValidator.Validate(ValidSpec(), Strategies));

    [Theory]
    [InlineData("rounds", "spec.rounds")]
    [InlineData("fraction_fit", "spec.fraction_fit")]
    [InlineData("fraction_fit_high", "spec.fraction_fit")]
    [InlineData("min_fit_clients", "spec.min_fit_clients")]
    [InlineData("strategy", "spec.strategy.name 'fedsgd'")]
    [InlineData("strategy_parameter", "spec.strategy.parameters.mu")]
    [InlineData("batch_size", "spec.local.batch_size")]
    [InlineData("learning_rate", "spec.local.learning_rate")]
    [InlineData("steps", "spec.local.local_steps or spec.local.local_epochs")]
    [InlineData("model", "spec.model.name")]
    [InlineData("dataset", "spec.dataset")]
    public void Each_invalid_field_is_named(string field, string expected)
    {
        var spec = ValidSpec();
        switch (field)
        {
            case "rounds": spec.Rounds = 0; break;
            case "fraction_fit": spec.FractionFit = 0; break;
            case "fraction_fit_high": spec.FractionFit = 1.5; break;
            case "min_fit_clients": spec.MinFitClients = 0; break;
            case "strategy": spec.Strategy.Name = "fedsgd"; break;
            case "strategy_parameter": spec.Strategy.Parameters["mu"] = 0.1; break;
            case "batch_size": spec.Local.BatchSize = 0; break;
            case "learning_rate": spec.Local.LearningRate = 0; break;
            case "steps": spec.Local.LocalSteps = 0; spec.Local.LocalEpochs = 0; break;
            case "model": spec.Model.Name = ""; break;
            case "dataset": spec.Dataset = ""; break;
        }
        var message = JobSpecValidator.Validate(spec, Strategies);
        Assert.NotNull(message);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("../etc", false)]
    [InlineData("job-1.a_b", true)]
    [InlineData("", false)]
    public void Client_job_ids_must_be_safe_folder_names(string id, bool ok) =>
        Assert.Equal(ok, JobSpecValidator.ValidateJobId(id) is null);

    [Theory]
    [InlineData(0, 0, 15, true)]
    [InlineData(3, 0, 15, false)]
    [InlineData(15, 0, 15, true)]
    [InlineData(3, 1, 15, true)]
    [InlineData(4, 2, 15, true)]
    [InlineData(5, 2, 15, false)]
    public void Evaluation_cadence(int round, int every, int rounds, bool evaluate) =>
        Assert.Equal(evaluate, JobExecution.ShouldEvaluate(round, rounds, every));
}
