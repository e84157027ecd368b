using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace FederatedCare.NodeAgent.Tests.Sdk;

/// <summary>
/// The SDK asks the region's <see cref="IJobAdmission"/> before its trainer reads a row: a refused or pending job is
/// reported as such without a call to the trainer, and a later task the admission refuses is dropped.
/// </summary>
public sealed class JobAdmissionHandlerTests
{
    private static readonly NodeSession Session = new("node-1", "Halland");

    /// <summary>A trainer no task may reach.</summary>
    private sealed class UntouchedTrainer : INodeTrainer
    {
        public InitialModel Initialize(NodeTask task) => throw new Xunit.Sdk.XunitException("initialize reached the trainer");
        public FitResult Fit(FitRequest request, CancellationToken cancellationToken) => throw new Xunit.Sdk.XunitException("fit reached the trainer");
        public IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits) => throw new Xunit.Sdk.XunitException("evaluate reached the trainer");
        public StatisticsAnswer Statistics(NodeTask task) => throw new Xunit.Sdk.XunitException("statistics reached the trainer");
    }

    private sealed class Scripted(JobAdmission decision, string? refusal) : IJobAdmission
    {
        public JobAdmission Admit(NodeTask task) => decision;
        public string? Check(NodeTask task) => refusal;
    }

    private static TrainerTaskHandler Handler(ScriptedCallInvoker calls, IJobAdmission admission) =>
        new(new FederationCalls(calls), new NoModels(), new UntouchedTrainer(), [], TimeProvider.System, NullLogger<TrainerTaskHandler>.Instance,
            admission: admission);

    [Theory]
    [InlineData(JobAdmissionOutcome.Refused, "policy rule MaxEpsilon: planned ε = 6.42 exceeds this region's 1.00")]
    [InlineData(JobAdmissionOutcome.Pending, "waiting for the region's data team to approve spec 3f2a")]
    public async Task A_refused_or_pending_job_is_reported_without_reading_a_row(JobAdmissionOutcome outcome, string reason)
    {
        var calls = new ScriptedCallInvoker(typeof(ReportStatisticsRequest), typeof(ReportRefusalRequest));
        await Handler(calls, new Scripted(new JobAdmission(outcome, reason), null))
            .HandleAsync(new NodeTask { JobId = "j", Statistics = new StatisticsTask() }, Session, CancellationToken.None);

        var report = Assert.Single(calls.Of<ReportStatisticsRequest>());
        Assert.Equal(outcome == JobAdmissionOutcome.Refused ? reason : "", report.Refusal);
        Assert.Equal(outcome == JobAdmissionOutcome.Pending ? reason : "", report.Pending);
    }

    [Fact]
    public async Task Later_tasks_the_admission_refuses_never_reach_the_trainer_and_are_refused_to_the_coordinator_with_the_rule()
    {
        var calls = new ScriptedCallInvoker(typeof(ReportStatisticsRequest), typeof(ReportRefusalRequest));
        var handler = Handler(calls, new Scripted(JobAdmission.Admitted, "policy rule MinRegionsPerAggregate: too few"));
        foreach (var task in new NodeTask[]
        {
            new() { JobId = "j", Round = 1, Fit = new FitTask { Participants = 3 } },
            new() { JobId = "j", Initialize = new InitializeTask() },
            new() { JobId = "j", Evaluate = new EvaluateTask() },
        })
            await handler.HandleAsync(task, Session, CancellationToken.None);
        Assert.Empty(calls.Of<ReportStatisticsRequest>());
        Assert.Equal(3, calls.Of<ReportRefusalRequest>().Count);
        Assert.All(calls.Of<ReportRefusalRequest>(), r => Assert.Equal("refused by this region's policy: policy rule MinRegionsPerAggregate: too few", r.Reason));
    }

    private sealed class NoModels : IModelSource
    {
        public Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken) =>
            throw new Xunit.Sdk.XunitException("unexpected download");
    }
}
