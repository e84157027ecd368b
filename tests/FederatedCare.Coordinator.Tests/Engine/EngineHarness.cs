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
/// The real job engine in process for one test: a SQLite store in a temporary folder on the test's fake clock, the
/// status messages the engine publishes (into the test's list, under its lock), and one call that runs a job to its end.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly FakeTimeProvider _time;
    private readonly List<string>? _messages;

    private EngineHarness(string directory, ICoordinatorStore store, FakeTimeProvider time, List<string>? messages) =>
        (_directory, Store, _time, _messages) = (directory, store, time, messages);

    /// <summary>The job engine's store.</summary>
    public ICoordinatorStore Store { get; }

    /// <summary>Opens a new store on <paramref name="time"/>; status messages go to <paramref name="messages"/> when given.</summary>
    public static async Task<EngineHarness> CreateAsync(FakeTimeProvider time, List<string>? messages = null)
    {
        var directory = Directory.CreateTempSubdirectory("fedcare-engine-").FullName;
        return new EngineHarness(directory, await CoordinatorStoreFactory.OpenAsync(new StoreOptions { Store = "sqlite" }, directory, time), time, messages);
    }

    /// <summary>Stores job "job" with <paramref name="spec"/> and runs it with <paramref name="clients"/>; returns its final message.</summary>
    public async Task<string> RunAsync(JobSpec spec, IClientManager clients, JobEngineOptions? options = null)
    {
        var job = new JobStatus { JobId = "job", Spec = spec, State = JobState.Pending };
        Assert.True(await Store.Jobs.TryCreateAsync(job));
        var engine = new JobEngine(Store, clients, new RoundBoard(), new Messages(_messages), new ModelCache(),
            new StrategyRegistry(BuiltInStrategies.All), new NoiseKey(Path.Combine(_directory, "noise.key")), NoChaos.Instance,
            options ?? new JobEngineOptions(), _time, NullLogger<JobEngine>.Instance);
        return await engine.RunAsync(job, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Messages(List<string>? messages) : IJobEventSink
    {
        public void Publish(JobStatus status, RoundSummary? round = null)
        {
            if (messages is null) return;
            lock (messages) messages.Add(status.Message);
        }
    }
}
