using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Runs jobs on the host's seams: the clients (<see cref="IClientManager"/>, <see cref="IClientProxy"/>), the store,
/// the watchers (<see cref="IJobEventSink"/>) and crash-test points. The coordinator supplies gRPC and SQLite,
/// fedcare-sim in-process clients and memory. Each job gets its own <see cref="JobPipeline"/> of phases.
/// </summary>
public sealed class JobEngine(ICoordinatorStore store, IClientManager clients, RoundBoard board, IJobEventSink events, ModelCache cache,
    StrategyRegistry strategies, NoiseKey noiseKey, IChaosHook chaos, JobEngineOptions options, TimeProvider time, ILogger<JobEngine> logger)
{
    /// <summary>Runs <paramref name="job"/> from its stored state to the end; returns its final message.</summary>
    /// <exception cref="JobFailedException">The job cannot go on; the message says why.</exception>
    /// <exception cref="OperationCanceledException">The job was aborted or the host stops.</exception>
    public Task<string> RunAsync(JobStatus job, CancellationToken ct) =>
        job.Spec.Analysis is not null ? BuildAnalysis(job).RunAsync(ct) : Build(job).RunAsync(ct);

    /// <summary>The pipeline of an analysis job (<see cref="JobSpec.Analysis"/>): statistics phase, then its analyses.</summary>
    public AnalysisPipeline BuildAnalysis(JobStatus job)
    {
        // An analysis job aggregates no model: its context's mode and strategy are never read by its phases.
        var context = new JobContext(job, new FederatedMode(job.Spec), new FedAvg(new FedAvgOptions()), options, time);
        var status = new JobStatusReporter(job.JobId, store, events);
        var dispatcher = new RoundDispatcher(context, clients, board, status, logger);
        return new AnalysisPipeline(context, new StatisticsPhase(context, dispatcher, status, logger), dispatcher, status, store, logger);
    }

    /// <summary>The pipeline of <paramref name="job"/>.</summary>
    public JobPipeline Build(JobStatus job)
    {
        var mode = TrainingMode.For(job.Spec);
        var context = new JobContext(job, mode, mode.CreateStrategy(strategies, noiseKey, job.JobId, job.Spec), options, time);
        var status = new JobStatusReporter(job.JobId, store, events);
        var dispatcher = new RoundDispatcher(context, clients, board, status, logger);
        var recorder = new RoundRecorder(context, store, status, logger);
        var ledger = new PrivacyLedger(job.JobId, context.Privacy, logger);
        var phases = new JobPhases(
            new StatisticsPhase(context, dispatcher, status, logger),
            new InitialModelPhase(context, dispatcher, recorder, store),
            new FitRoundPhase(context, dispatcher, recorder, ledger, store, cache, chaos),
            new EvaluationPhase(context, dispatcher),
            new CrossSitePhase(context, dispatcher, store, cache, status, logger));
        return new JobPipeline(context, phases, dispatcher, recorder, ledger, status, store, cache, chaos, logger);
    }
}
