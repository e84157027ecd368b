using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
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
        Local = new LocalTrainingSpec { LocalSteps = 10, BatchSize = 4, Optimizer = LocalOptimizer.Sgd, LearningRate = 0.01 },
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
    [InlineData("optimizer", "spec.local.optimizer 7 is not one of LOCAL_OPTIMIZER_SGD, LOCAL_OPTIMIZER_ADAM.")]
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
            case "optimizer": spec.Local.Optimizer = (LocalOptimizer)7; break;
        }
        var message = JobSpecValidator.Validate(spec, Strategies);
        Assert.NotNull(message);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData(0, "", "spec.rounds must be >= 1 (0 only with spec.initial_model_sha256: evaluate the given model), got 0.")]
    [InlineData(0, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null)]
    [InlineData(3, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null)]
    [InlineData(3, "ABC", "spec.initial_model_sha256 must be 64 lower-case hex digits")]
    public void Rounds_0_needs_an_initial_model_whose_hash_is_well_formed(int rounds, string sha, string? expected)
    {
        var spec = ValidSpec();
        (spec.Rounds, spec.InitialModelSha256) = (rounds, sha);
        var message = JobSpecValidator.Validate(spec, Strategies);
        if (expected is null) Assert.Null(message);
        else Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(604800, null)]
    [InlineData(-1, "spec.wait_for_clients_seconds must be from 0 to 604800 (7 days; 0: 600 s); got -1. A job never waits for clients for ever.")]
    [InlineData(604801, "spec.wait_for_clients_seconds must be from 0 to 604800")]
    [InlineData(double.PositiveInfinity, "spec.wait_for_clients_seconds must be from 0 to 604800")]
    [InlineData(double.NaN, "spec.wait_for_clients_seconds must be from 0 to 604800")]
    public void Wait_for_clients_is_bounded_and_never_for_ever(double seconds, string? expected)
    {
        var spec = ValidSpec();
        spec.WaitForClientsSeconds = seconds;
        var message = JobSpecValidator.Validate(spec, Strategies);
        if (expected is null) Assert.Null(message);
        else Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("fedadam", "momentum", 0.9, "spec.strategy.parameters.momentum is not a fedadam parameter (known: server_learning_rate, beta1, beta2, tau)")]
    [InlineData("fedadam", "beta1", 1.0, "fedadam: spec.strategy.parameters.beta1 must be in [0, 1), got 1")]
    [InlineData("fedyogi", "tau", 0.0, "fedyogi: spec.strategy.parameters.tau must be a finite number > 0")]
    [InlineData("fedadagrad", "server_learning_rate", double.NaN, "fedadagrad: spec.strategy.parameters.server_learning_rate")]
    [InlineData("fedprox", "mu", -0.1, "fedprox: spec.strategy.parameters.mu must be a finite number >= 0, got -0.1")]
    [InlineData("scaffold", "server_learning_rate", 0.0, "scaffold: spec.strategy.parameters.server_learning_rate")]
    [InlineData("scaffold", "mu", 0.1, "spec.strategy.parameters.mu is not a scaffold parameter")]
    [InlineData("trimmed_mean", "beta", 0.5, "trimmed_mean: spec.strategy.parameters.beta must be in [0, 0.5), got 0.5")]
    [InlineData("krum", "num_byzantine", 1.5, "krum: spec.strategy.parameters.num_byzantine must be an integer >= 0, got 1.5")]
    [InlineData("krum", "num_selected", 0.0, "krum: spec.strategy.parameters.num_selected must be an integer >= 1, got 0")]
    [InlineData("median", "beta", 0.1, "spec.strategy.parameters.beta is not a median parameter (median takes none)")]
    [InlineData("fedavg", "weighted", 2.0, "fedavg: spec.strategy.parameters.weighted must be 0 or 1, got 2")]
    public void Strategy_parameters_are_refused_naming_strategy_and_parameter(string strategy, string parameter, double value, string expected)
    {
        var spec = ValidSpec();
        spec.Strategy = new StrategySpec { Name = strategy, Parameters = { [parameter] = value } };
        Assert.Contains(expected, JobSpecValidator.Validate(spec, Strategies));
    }

    [Theory]
    [InlineData(1, 1, 4, "spec.min_fit_clients must be >= 5 for this strategy (krum needs more than 2·num_byzantine + 2 = 4 updates and num_selected (1) at most n − num_byzantine (1)), got 4.")]
    [InlineData(1, 1, 5, null)]
    [InlineData(0, 4, 3, "spec.min_fit_clients must be >= 4 for this strategy")]
    public void Krum_is_refused_when_min_fit_clients_cannot_satisfy_it(int byzantine, int selected, int minFit, string? expected)
    {
        var spec = ValidSpec();
        spec.MinFitClients = minFit;
        spec.Strategy = new StrategySpec { Name = "krum", Parameters = { ["num_byzantine"] = byzantine, ["num_selected"] = selected } };
        var message = JobSpecValidator.Validate(spec, Strategies);
        if (expected is null) Assert.Null(message);
        else Assert.Contains(expected, message);
    }

    [Fact]
    public void Every_strategy_is_known_and_accepts_its_documented_parameters()
    {
        Assert.Equal(["fedadagrad", "fedadam", "fedavg", "fedprox", "fedyogi", "krum", "median", "scaffold", "trimmed_mean"], Strategies.Names);
        var unknown = ValidSpec();
        unknown.Strategy.Name = "fedsgd";
        Assert.Contains("(known: fedadagrad, fedadam, fedavg, fedprox, fedyogi, krum, median, scaffold, trimmed_mean)",
            JobSpecValidator.Validate(unknown, Strategies));
        (string Name, Dictionary<string, double> Parameters)[] valid =
        [
            ("fedprox", new() { ["mu"] = 0 }),
            ("fedadam", new() { ["server_learning_rate"] = 0.1, ["beta1"] = 0, ["beta2"] = 0.99, ["tau"] = 1e-9 }),
            ("scaffold", new() { ["server_learning_rate"] = 1 }),
            ("trimmed_mean", new() { ["beta"] = 0.2 }),
            ("krum", new() { ["num_byzantine"] = 0, ["num_selected"] = 3 }),
            ("median", new()),
        ];
        foreach (var (name, parameters) in valid)
        {
            var spec = ValidSpec();
            spec.MinFitClients = 4; // multi-Krum with f = 0 and m = 3 needs 3 updates a round
            spec.Strategy = new StrategySpec { Name = name, Parameters = { parameters } };
            Assert.Null(JobSpecValidator.Validate(spec, Strategies));
        }
    }

    [Theory]
    [InlineData(JobMode.Federated, true)]
    [InlineData(JobMode.Local, true)]
    [InlineData((JobMode)2, false)]
    public void Mode_must_be_known(JobMode mode, bool ok)
    {
        var spec = ValidSpec();
        spec.Mode = mode;
        var message = JobSpecValidator.Validate(spec, Strategies);
        if (ok) Assert.Null(message);
        else Assert.Equal("spec.mode 2 is not one of JOB_MODE_FEDERATED, JOB_MODE_LOCAL.", message);
    }

    [Fact]
    public void An_unknown_update_encoding_is_refused_with_the_valid_ones()
    {
        var spec = ValidSpec();
        spec.UpdateEncoding = (TensorEncoding)9;
        Assert.Equal("spec.update_encoding 9 is not one of TENSOR_ENCODING_FLOAT32, TENSOR_ENCODING_FLOAT16, TENSOR_ENCODING_BFLOAT16.",
            JobSpecValidator.Validate(spec, Strategies));
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
        Assert.Equal(evaluate, FederatedMode.ShouldEvaluate(round, rounds, every));
}
