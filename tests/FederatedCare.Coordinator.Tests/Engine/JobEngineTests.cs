using FederatedCare.Privacy;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Engine;

/// <summary>
/// The production job engine in process: scripted clients instead of gRPC, a fake clock whose deadlines the tests
/// fire by advancing it, so no test waits for wall-clock time and a busy machine cannot make one fail.
/// </summary>
public sealed class JobEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private EngineHarness _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHarness.CreateAsync(_time);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A_silent_client_costs_the_deadline_and_the_round_aggregates_the_others()
    {
        var (a, b, c) = (new ScriptedClient("A", delta: 1), new ScriptedClient("B", delta: 3), new ScriptedClient("C"));
        c.SilentInFit = _ => true;
        var run = RunAsync(Spec(rounds: 1, minFit: 2), a, b, c);

        await c.NextAsync(NodeTask.KindOneofCase.Fit);
        _time.Advance(Deadline + TimeSpan.FromSeconds(1));
        var message = await run;

        Assert.StartsWith("round 1/1 done", message);
        var rounds = await _engine.Store.Rounds.ListAsync("job");
        Assert.Equal(["A", "B"], rounds.Single(r => r.Round == 1).Participants);
        var (_, model) = (await _engine.Store.LoadGlobalModelAsync("job", 1))!.Value;
        // Example-weighted mean of the deltas (1 and 3, 10 examples each) on the initial [0, 0].
        Assert.Equal([2f, 2f], model.Tensors[0].Values);
    }

    [Fact]
    public async Task Refusals_count_as_answers_so_a_round_every_client_refuses_fails_without_waiting_for_its_deadline()
    {
        var (a, b) = (new ScriptedClient("A") { RefusesFit = "SCAFFOLD needs SGD" }, new ScriptedClient("B") { RefusesFit = "no GPU here" });
        // The fake clock never moves: had the rounds waited for their deadlines, the job would never end.
        var failure = await Assert.ThrowsAsync<JobFailedException>(() => RunAsync(Spec(rounds: 1, minFit: 1, retries: 1), a, b).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("round 1: only 0 of 2 selected clients sent an update within 30 s (1 needed) after 2 attempts; " +
            "refused by A: SCAFFOLD needs SGD; B: no GPU here.", failure.Message);
    }

    [Fact]
    public async Task A_final_status_names_the_rounds_no_region_evaluated()
    {
        var (a, b) = (new ScriptedClient("A"), new ScriptedClient("B"));
        a.SilentInEvaluation = b.SilentInEvaluation = task => task.Round == 2;
        var run = RunAsync(Spec(rounds: 2, minFit: 2), a, b);

        foreach (var client in new[] { a, b })
            while ((await client.NextAsync(NodeTask.KindOneofCase.Evaluate)).Round != 2) { }
        _time.Advance(Deadline + TimeSpan.FromSeconds(1));

        Assert.EndsWith("; not evaluated (no region reported metrics): round 2", await run);
    }

    [Fact]
    public async Task With_a_retention_setting_a_job_keeps_only_the_latest_round_models_and_every_round_row()
    {
        var options = new JobEngineOptions { Retention = new ModelRetention { KeepLastRounds = 1, KeepEveryRounds = 2 } };
        Assert.StartsWith("round 3/3 done", await RunAsync(Spec(rounds: 3, minFit: 2), options, new ScriptedClient("A"), new ScriptedClient("B")));

        Assert.Equal(["round-0", "round-2", "round-3"], (await _engine.Store.Models.ListAsync("job", ModelNames.RoundPrefix)).Select(n => n.Name));
        Assert.Equal([0, 1, 2, 3], (await _engine.Store.Rounds.ListAsync("job")).Select(r => r.Round));
    }

    [Fact]
    public async Task Too_few_updates_after_every_retry_fail_the_job_naming_the_silent_region()
    {
        var (a, b, c) = (new ScriptedClient("A"), new ScriptedClient("B"), new ScriptedClient("C"));
        c.SilentInFit = _ => true;
        var run = RunAsync(Spec(rounds: 2, minFit: 3, retries: 1), a, b, c);

        for (int attempt = 0; attempt < 2; attempt++)
        {
            await c.NextAsync(NodeTask.KindOneofCase.Fit);
            _time.Advance(Deadline + TimeSpan.FromSeconds(1));
        }

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => run);
        Assert.Equal("round 1: only 2 of 3 selected clients sent an update within 30 s (3 needed) after 2 attempts; no update from: C.",
            failure.Message);
    }

    [Fact]
    public async Task A_retry_opens_a_fresh_attempt_that_the_late_client_can_join()
    {
        var (a, c) = (new ScriptedClient("A", delta: 1), new ScriptedClient("C", delta: 5));
        c.SilentInFit = task => task.Round == 1 && !c.Retried;
        var run = RunAsync(Spec(rounds: 1, minFit: 2, retries: 1), a, c);

        await c.NextAsync(NodeTask.KindOneofCase.Fit);
        c.Retried = true;
        _time.Advance(Deadline + TimeSpan.FromSeconds(1));
        await run;

        var rounds = await _engine.Store.Rounds.ListAsync("job");
        Assert.Equal(["A", "C"], rounds.Single(r => r.Round == 1).Participants);
    }

    [Fact]
    public async Task Fit_rows_carry_the_nodes_training_loss_and_accuracy()
    {
        var a = new ScriptedClient("A") { TrainAccuracy = 0.75 };
        await RunAsync(Spec(rounds: 1, minFit: 1), a);

        var fit = (await _engine.Store.Metrics.ListAsync("job", 1)).Single(m => m.Split == FitMetrics.Split);
        Assert.Equal(0.25, fit.Loss);
        Assert.Equal(0.75, fit.Accuracy);
    }

    [Fact]
    public async Task Local_mode_trains_every_region_alone_and_keeps_the_initial_model()
    {
        var spec = Spec(rounds: 5, minFit: 2);
        spec.Mode = JobMode.Local;
        var message = await RunAsync(spec, new ScriptedClient("A", delta: 1), new ScriptedClient("B", delta: 3));

        var rounds = await _engine.Store.Rounds.ListAsync("job");
        Assert.Equal([0, 1], rounds.Select(r => r.Round));
        Assert.Equal(rounds[0].ModelSha256, rounds[1].ModelSha256);
        Assert.Contains("cross-site validation: 4 of 4 cells (2 regions x 2 models: local:A, local:B)", message);
    }

    [Fact]
    public async Task Privacy_is_spent_per_round_and_restored_from_the_stored_rounds_on_resume()
    {
        var spec = Spec(rounds: 2, minFit: 2);
        spec.Privacy = new PrivacySpec { ClippingNorm = 10, NoiseMultiplier = 1.0 };
        await RunAsync(spec, new ScriptedClient("A"), new ScriptedClient("B"));
        var rounds = await _engine.Store.Rounds.ListAsync("job");
        var spent = rounds.Where(r => r.Round > 0).Select(r => r.Privacy.Epsilon).ToList();
        Assert.True(spent[1] > spent[0]);

        // The same two rounds composed afresh give the same total: the ledger restores what the store holds.
        var ledger = new PrivacyLedger("job", PrivacySettings.From(spec), NullLogger.Instance);
        ledger.Restore(rounds.Where(r => r.Round == 1));
        Assert.Equal(spent[1], ledger.Spend(2, samplingRate: 1, updates: 2)!.Epsilon);
    }

    [Fact]
    public async Task Statistics_refusals_put_every_region_out_and_fail_the_job_quoting_them()
    {
        var spec = Spec(rounds: 1, minFit: 1);
        spec.Schema = new DatasetSchema();
        var failure = await Assert.ThrowsAsync<JobFailedException>(() => RunAsync(spec, new ScriptedClient("A"), new ScriptedClient("B")));
        Assert.Equal("only 0 of 2 regions joined (1 needed): A: no consent; B: no consent", failure.Message);
    }

    private static JobSpec Spec(int rounds, int minFit, int retries = 0) => new()
    {
        Dataset = "synthetic",
        Model = new ModelSpec { Name = "logreg" },
        Strategy = new StrategySpec { Name = FedAvg.StrategyName },
        Rounds = rounds,
        FractionFit = 1,
        MinFitClients = minFit,
        MaxRoundRetries = retries,
        RoundDeadlineSeconds = Deadline.TotalSeconds,
        Seed = 7,
    };

    private Task<string> RunAsync(JobSpec spec, params ScriptedClient[] clients) => RunAsync(spec, new JobEngineOptions(), clients);

    private Task<string> RunAsync(JobSpec spec, JobEngineOptions options, params ScriptedClient[] clients) =>
        _engine.RunAsync(spec, new ScriptedClients(clients), options);
}
