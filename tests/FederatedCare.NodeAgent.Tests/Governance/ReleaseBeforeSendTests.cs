using FederatedCare.Node.Sdk;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

using FederatedCare.NodeAgent.Tests.Sdk;

namespace FederatedCare.NodeAgent.Tests.Governance;

/// <summary>
/// The SDK's task handler tells its <see cref="IReleaseObserver"/> of a report before it sends it, and sends nothing
/// when the observer cannot record it: nothing leaves the region unrecorded.
/// </summary>
public sealed class ReleaseBeforeSendTests
{
    private static readonly NodeTask StatisticsTask = new() { JobId = "job-1", Statistics = new StatisticsTask() };

    [Fact]
    public async Task A_statistics_report_is_recorded_then_sent()
    {
        var events = new List<string>();
        var handler = Handler(events, new RecordingObserver(events, fail: false));

        await handler.HandleAsync(StatisticsTask, new NodeSession("n1", "Halland"), CancellationToken.None);

        Assert.Equal(["recorded statistics", "sent ReportStatistics"], events);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_task_refusal_is_recorded_then_sent_and_not_sent_when_it_cannot_be_recorded(bool auditFails)
    {
        var events = new List<string>();
        var handler = Handler(events, new RecordingObserver(events, fail: auditFails));

        await handler.HandleAsync(new NodeTask { JobId = "job-1", Initialize = new InitializeTask() }, new NodeSession("n1", "Halland"), CancellationToken.None);

        Assert.Equal(auditFails ? [] : ["recorded refusal", "sent ReportRefusal"], events);
    }

    [Fact]
    public async Task A_report_the_audit_log_cannot_record_is_not_sent()
    {
        var events = new List<string>();
        var handler = Handler(events, new RecordingObserver(events, fail: true));

        await handler.HandleAsync(StatisticsTask, new NodeSession("n1", "Halland"), CancellationToken.None);

        Assert.Empty(events);
    }

    private static TrainerTaskHandler Handler(List<string> events, IReleaseObserver observer) =>
        new(new FederationCalls(new ScriptedCallInvoker { OnCall = method => events.Add("sent " + method) }), new NoModels(), new CountingTrainer(), [], new FakeTimeProvider(),
            NullLogger<TrainerTaskHandler>.Instance, releases: observer);

    private sealed class RecordingObserver(List<string> events, bool fail) : IReleaseObserver
    {
        private void Record(string what)
        {
            if (fail) throw new IOException("disk full");
            events.Add("recorded " + what);
        }

        public void UpdateReleased(NodeTask task, UpdateHeader header, ModelParameters model, DType encoding) => Record("update");
        public void StatisticsReleased(NodeTask task, ReportStatisticsRequest report) => Record("statistics");
        public void MetricsReleased(NodeTask task, ReportMetricsRequest report) => Record("metrics");
        public void AnalysisReleased(NodeTask task, ReportAnalysisRequest report) => Record("analysis");
        public void RefusalReleased(NodeTask task, ReportRefusalRequest report) => Record("refusal");
    }

    private sealed class CountingTrainer : INodeTrainer
    {
        public StatisticsAnswer Statistics(NodeTask task) => new(new LocalStatistics { TrainRows = 40 }, null);
        public InitialModel Initialize(NodeTask task) => throw new NodeTaskRejectedException("the model does not fit this dataset");
        public FitResult Fit(FitRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits) => throw new NotSupportedException();
    }

    private sealed class NoModels : IModelSource
    {
        public Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
