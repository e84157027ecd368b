using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.NodeAgent.Tests.Sdk;

/// <summary>The SDK's trainer-driven task handler with a scripted trainer, where it must not reach the coordinator.</summary>
public sealed class TrainerTaskHandlerTests
{
    private static readonly NodeSession Session = new("node-1", "Halland");

    private sealed class ScriptedTrainer(Exception? initializeFails = null) : INodeTrainer
    {
        public List<string> Calls { get; } = [];

        public InitialModel Initialize(NodeTask task)
        {
            Calls.Add("initialize");
            throw initializeFails ?? new InvalidOperationException("not scripted");
        }

        public FitResult Fit(FitRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("not scripted");

        public IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits) => throw new InvalidOperationException("not scripted");

        public StatisticsAnswer Statistics(NodeTask task) => throw new InvalidOperationException("not scripted");
    }

    private sealed class NoModels : IModelSource
    {
        public Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken) =>
            throw new Xunit.Sdk.XunitException("unexpected download");
    }

    // The handler may reach the coordinator only to refuse a task.
    private static ScriptedCallInvoker RefusalsOnly() => new(typeof(ReportRefusalRequest));

    private static TrainerTaskHandler Handler(INodeTrainer trainer, TimeProvider time, ScriptedCallInvoker? calls = null) =>
        new(new FederationCalls(calls ?? RefusalsOnly()), new NoModels(), trainer, [], time, NullLogger<TrainerTaskHandler>.Instance);

    [Fact]
    public async Task Pings_and_tasks_past_their_deadline_reach_neither_trainer_nor_coordinator()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(10_000));
        var trainer = new ScriptedTrainer();
        var handler = Handler(trainer, time);
        await handler.HandleAsync(new NodeTask { JobId = "j", Ping = new Ping() }, Session, CancellationToken.None);
        await handler.HandleAsync(new NodeTask { JobId = "j", DeadlineUnixMs = 9_999, Fit = new FitTask() }, Session, CancellationToken.None);
        await handler.HandleAsync(new NodeTask { JobId = "j", DeadlineUnixMs = 9_999, Initialize = new InitializeTask() }, Session, CancellationToken.None);
        Assert.Empty(trainer.Calls);
    }

    [Fact]
    public async Task Deadlines_are_judged_on_the_coordinators_clock_whatever_the_agents_clock_says()
    {
        // The agent's clock runs 2 minutes ahead of the coordinator's; its session measured that at registration.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(10_000_000 + 120_000));
        var ahead = new NodeSession("node-1", "Halland") { ClockOffset = TimeSpan.FromMinutes(-2) };
        var due = new NodeTask { JobId = "j", DeadlineUnixMs = 10_000_000 + 60_000, Initialize = new InitializeTask() };

        var trainer = new ScriptedTrainer(new NodeTaskRejectedException("scripted"));
        await Handler(trainer, time).HandleAsync(due, ahead, CancellationToken.None);
        Assert.Equal(["initialize"], trainer.Calls);

        // Without the offset the same task would pass for one that arrived a minute late.
        var naive = new ScriptedTrainer();
        await Handler(naive, time).HandleAsync(due, Session, CancellationToken.None);
        Assert.Empty(naive.Calls);
    }

    [Fact]
    public async Task A_task_the_trainer_rejects_is_refused_to_the_coordinator_with_its_reason_and_the_node_goes_on()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(10_000));
        var calls = RefusalsOnly();
        foreach (var rejection in new Exception[] { new NodeTaskRejectedException("dataset not here"), new ArgumentException("bad spec"), new InvalidDataException("bad\nmodel") })
        {
            var trainer = new ScriptedTrainer(rejection);
            await Handler(trainer, time, calls).HandleAsync(new NodeTask { JobId = "j", Round = 0, DeadlineUnixMs = 10_000, Initialize = new InitializeTask() }, Session, CancellationToken.None);
            Assert.Equal(["initialize"], trainer.Calls);
        }
        // One line each, control characters gone.
        Assert.Equal(["dataset not here", "bad spec", "bad model"], calls.Of<ReportRefusalRequest>().Select(r => r.Reason));
        Assert.All(calls.Of<ReportRefusalRequest>(), r => Assert.Equal(("j", 0), (r.JobId, r.Round)));
    }

    [Fact]
    public async Task An_unexpected_trainer_error_escapes()
    {
        var handler = Handler(new ScriptedTrainer(), TimeProvider.System);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            handler.HandleAsync(new NodeTask { JobId = "j", Initialize = new InitializeTask() }, Session, CancellationToken.None));
    }
}
