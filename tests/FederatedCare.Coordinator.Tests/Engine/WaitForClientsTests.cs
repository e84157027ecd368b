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
/// spec.wait_for_clients_seconds: a job whose clients never show up (a typo in the dataset, regions no node serves)
/// fails once the wait is over, naming what it waited for and who is connected; a client that comes in time ends the
/// wait. Time is the fake clock's, advanced by the test in steps until the job ends.
/// </summary>
public sealed class WaitForClientsTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly List<string> _messages = [];
    private EngineHarness _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHarness.CreateAsync(_time, _messages);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A_misspelt_dataset_fails_the_job_after_the_default_600_s_naming_who_is_connected_with_what()
    {
        var clients = new ChangingClients(("Halland", ["heart-disease"]), ("Örebro", ["stroke", "heart-disease"]));
        var spec = Spec(dataset: "heart-diseas", minFit: 2);
        var run = RunAsync(spec, clients);
        // The clock moves only once the job waits, so the time it took to give up is the wait's own.
        await WaitingAsync("waiting for 2 clients with dataset 'heart-diseas' (0 connected; without it: Halland, Örebro)");
        var started = _time.GetUtcNow();

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => AdvanceUntil(run));

        Assert.Equal("waited 600 s for 2 clients with dataset 'heart-diseas' (regions: any); connected: Halland (datasets: heart-disease), " +
            "Örebro (datasets: heart-disease, stroke) (spec.wait_for_clients_seconds)", failure.Message);
        // Not before the 600 s; at most two steps after (one step may pass before the wait's timer exists).
        Assert.InRange(_time.GetUtcNow() - started, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(600) + 2 * Step);
    }

    [Fact]
    public async Task Regions_no_node_serves_fail_the_job_after_the_specs_wait()
    {
        var clients = new ChangingClients(("Halland", ["heart-disease"]));
        var spec = Spec(dataset: "heart-disease", minFit: 1);
        spec.Regions.Add("Skåne");
        spec.WaitForClientsSeconds = 30;

        var failure = await Assert.ThrowsAsync<JobFailedException>(() => AdvanceUntil(RunAsync(spec, clients)));

        Assert.Equal("waited 30 s for 1 client with dataset 'heart-disease' (regions: Skåne); connected: Halland (datasets: heart-disease) " +
            "(spec.wait_for_clients_seconds)", failure.Message);
    }

    [Fact]
    public async Task A_client_that_connects_within_the_wait_starts_the_job()
    {
        var clients = new ChangingClients();
        var run = RunAsync(Spec(dataset: "synthetic", minFit: 1), clients);
        _time.Advance(TimeSpan.FromSeconds(590));

        clients.Connect(new ScriptedClient("A"), "synthetic");

        Assert.StartsWith("round 1/1 done", await run.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    /// <summary>Polls until the job's status says <paramref name="message"/>.</summary>
    private async Task WaitingAsync(string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            lock (_messages)
                if (_messages.Contains(message)) return;
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Advances the fake clock one step at a time until <paramref name="task"/> completes.</summary>
    private async Task<T> AdvanceUntil<T>(Task<T> task)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!task.IsCompleted)
        {
            _time.Advance(Step);
            await Task.WhenAny(task, Task.Delay(20, timeout.Token));
        }
        return await task;
    }

    private static JobSpec Spec(string dataset, int minFit) => new()
    {
        Dataset = dataset,
        Model = new ModelSpec { Name = "logreg" },
        Strategy = new StrategySpec { Name = FedAvg.StrategyName },
        Rounds = 1,
        FractionFit = 1,
        MinFitClients = minFit,
        RoundDeadlineSeconds = 30,
        Seed = 7,
    };

    private Task<string> RunAsync(JobSpec spec, IClientManager clients) => _engine.RunAsync(spec, clients);

    /// <summary>Regions connected with the datasets they hold; scripted clients may connect later (<see cref="Connect"/>).</summary>
    private sealed class ChangingClients(params (string Region, string[] Datasets)[] present) : IClientManager
    {
        private readonly Lock _gate = new();
        private readonly List<(ScriptedClient? Client, string Region, string[] Datasets)> _connected =
            [.. present.Select(p => ((ScriptedClient?)null, p.Region, p.Datasets))];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Connect(ScriptedClient client, params string[] datasets)
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _connected.Add((client, client.Region, datasets));
                (changed, _changed) = (_changed, new(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            changed.SetResult();
        }

        public IReadOnlyList<AvailableClient> Connected(IReadOnlyCollection<string> regions, string dataset)
        {
            lock (_gate)
                return _connected.Where(c => (regions.Count == 0 || regions.Contains(c.Region)) && c.Datasets.Contains(dataset))
                    .OrderBy(c => c.Region, StringComparer.Ordinal)
                    .Select(c => new AvailableClient(c.Client?.NodeId ?? "node-" + c.Region, c.Region)).ToList();
        }

        public IReadOnlyList<string> ConnectedWithout(IReadOnlyCollection<string> regions, string dataset)
        {
            lock (_gate)
                return _connected.Where(c => (regions.Count == 0 || regions.Contains(c.Region)) && !c.Datasets.Contains(dataset))
                    .Select(c => c.Region).Order(StringComparer.Ordinal).ToList();
        }

        public IReadOnlyList<ConnectedRegion> AllConnected()
        {
            lock (_gate)
                return _connected.OrderBy(c => c.Region, StringComparer.Ordinal)
                    .Select(c => new ConnectedRegion(c.Region, c.Datasets.Order(StringComparer.Ordinal).ToList())).ToList();
        }

        public Task Changed
        {
            get { lock (_gate) return _changed.Task; }
        }

        public IClientProxy? Find(string nodeId)
        {
            lock (_gate) return _connected.FirstOrDefault(c => c.Client?.NodeId == nodeId).Client;
        }
    }
}
