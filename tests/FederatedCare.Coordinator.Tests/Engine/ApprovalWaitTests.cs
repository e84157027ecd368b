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
/// The statistics phase with regions whose data team has not yet approved the job (manual approval): they are asked
/// again every poll interval, the job's status names them, and after the approval wait they are out. Time is the fake
/// clock's, advanced by the test.
/// </summary>
public sealed class ApprovalWaitTests : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly List<string> _messages = [];
    private EngineHarness _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHarness.CreateAsync(_time, _messages);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task A_pending_region_is_asked_again_and_joins_once_approved()
    {
        int asked = 0;
        var (a, b) = (new ScriptedClient("A"), new ScriptedClient("B"));
        a.StatisticsAnswer = task => ++asked < 3 ? Pending(task) : Joined(task);
        b.StatisticsAnswer = Joined;
        var run = RunAsync(Spec(approvalWaitSeconds: 0), a, b);

        await a.NextAsync(NodeTask.KindOneofCase.Statistics);
        for (int ask = 2; ask <= 3; ask++) await AdvanceUntil(a.NextAsync(NodeTask.KindOneofCase.Statistics));
        var message = await AdvanceUntil(run);

        Assert.Equal(3, asked);
        Assert.Contains(_messages, m => m.StartsWith("waiting for approval by A (asking again every 10 s for up to 24 h more)", StringComparison.Ordinal));
        Assert.Contains(_messages, m => m.StartsWith("2 regions joined (A, B", StringComparison.Ordinal));
        Assert.DoesNotContain("out of this job", message);
    }

    [Fact]
    public async Task A_region_still_pending_after_the_approval_wait_is_out_of_the_job()
    {
        var (a, b) = (new ScriptedClient("A"), new ScriptedClient("B"));
        a.StatisticsAnswer = Pending;
        b.StatisticsAnswer = Joined;
        var run = RunAsync(Spec(approvalWaitSeconds: 25), a, b);

        var message = await AdvanceUntil(run);

        Assert.Contains("out of this job: A: not approved within 25 s (waiting for the data team)", message);
    }

    /// <summary>Advances the fake clock one poll interval at a time until <paramref name="task"/> completes.</summary>
    private async Task<T> AdvanceUntil<T>(Task<T> task)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!task.IsCompleted)
        {
            _time.Advance(Poll);
            await Task.WhenAny(task, Task.Delay(20, timeout.Token));
        }
        return await task;
    }

    private static ReportStatisticsRequest Pending(NodeTask task) => new() { JobId = task.JobId, Pending = "waiting for the data team" };

    private static ReportStatisticsRequest Joined(NodeTask task) => new() { JobId = task.JobId, Statistics = new LocalStatistics { TrainRows = 10 } };

    private static JobSpec Spec(double approvalWaitSeconds) => new()
    {
        Dataset = "synthetic",
        Model = new ModelSpec { Name = "logreg" },
        Strategy = new StrategySpec { Name = FedAvg.StrategyName },
        Rounds = 1,
        FractionFit = 1,
        MinFitClients = 1,
        RoundDeadlineSeconds = 30,
        ApprovalWaitSeconds = approvalWaitSeconds,
        Seed = 7,
        Schema = new DatasetSchema(),
    };

    private Task<string> RunAsync(JobSpec spec, params ScriptedClient[] clients) =>
        _engine.RunAsync(spec, new ScriptedClients(clients), new JobEngineOptions { ApprovalPollSeconds = Poll.TotalSeconds });
}
