using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Engine;

/// <summary>
/// spec.initial_model_sha256: an uploaded model as round 0 (checked against the job's layout, which a region's
/// initialisation shows); with rounds 0 the job only evaluates it on every region's test rows.
/// </summary>
public sealed class InitialModelTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private EngineHarness _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHarness.CreateAsync(_time);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Rounds_0_evaluates_the_given_model_on_every_region_and_trains_nothing()
    {
        var sha = await UploadAsync(ScriptedClient.Model(5, 5));
        var (a, b) = (new ScriptedClient("A") { Accuracy = 0.75 }, new ScriptedClient("B") { Accuracy = 0.25 });

        var message = await RunAsync(Spec(rounds: 0, sha), a, b);

        // The in-process clients' metrics reach the open round only (over gRPC the service stores them): the message has both.
        Assert.Equal("round 0/0 done; test accuracy 0.5000, loss 0.5000 (example-weighted, 2 regions)", message);
        var round = Assert.Single(await _engine.Store.Rounds.ListAsync("job"));
        Assert.Equal((0, sha), (round.Round, round.ModelSha256));
        var stored = (await _engine.Store.LoadGlobalModelAsync("job", 0))!.Value.Model;
        Assert.Equal([5f, 5f], stored.Tensors[0].Values);
        Assert.DoesNotContain(Tasks(a).Concat(Tasks(b)), t => t.KindCase == NodeTask.KindOneofCase.Fit);
        Assert.All(Tasks(a).Concat(Tasks(b)).Where(t => t.KindCase == NodeTask.KindOneofCase.Evaluate), t => Assert.Equal(sha, t.ModelSha256));
    }

    [Fact]
    public async Task A_training_job_starts_from_the_given_model()
    {
        var sha = await UploadAsync(ScriptedClient.Model(5, 5));
        var (a, b) = (new ScriptedClient("A", delta: 1), new ScriptedClient("B", delta: 3));

        Assert.StartsWith("round 1/1 done", await RunAsync(Spec(rounds: 1, sha), a, b), StringComparison.Ordinal);

        Assert.Equal(sha, Tasks(a).First(t => t.KindCase == NodeTask.KindOneofCase.Fit).ModelSha256);
        var trained = (await _engine.Store.LoadGlobalModelAsync("job", 1))!.Value.Model;
        Assert.Equal([7f, 7f], trained.Tensors[0].Values); // [5, 5] + the mean delta of 1 and 3
    }

    [Fact]
    public async Task A_given_model_of_another_layout_fails_the_job_naming_the_tensor()
    {
        var sha = await UploadAsync(ScriptedClient.Model(1, 2, 3));

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => RunAsync(Spec(rounds: 0, sha), new ScriptedClient("A")));

        Assert.Equal($"round 0: the given model {sha} does not fit the job's model 'logreg': tensor 'w' has shape [3], the job's model [2].", failure.Message);
        Assert.Empty(await _engine.Store.Rounds.ListAsync("job"));
    }

    private async Task<string> UploadAsync(ModelParameters model)
    {
        var sha = model.ComputeSha256();
        await _engine.Store.Models.SaveAsync(UploadedModels.Owner, UploadedModels.Name(sha), model, sha);
        return sha;
    }

    private static List<NodeTask> Tasks(ScriptedClient client)
    {
        var tasks = new List<NodeTask>();
        while (client.Received.Reader.TryRead(out var task)) tasks.Add(task);
        return tasks;
    }

    private static JobSpec Spec(int rounds, string initialModel) => new()
    {
        Dataset = "synthetic",
        Model = new ModelSpec { Name = "logreg" },
        Strategy = new StrategySpec { Name = FedAvg.StrategyName },
        Rounds = rounds,
        FractionFit = 1,
        MinFitClients = 1,
        RoundDeadlineSeconds = 30,
        Seed = 7,
        InitialModelSha256 = initialModel,
    };

    private Task<string> RunAsync(JobSpec spec, params ScriptedClient[] clients) => _engine.RunAsync(spec, new ScriptedClients(clients));
}
