using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// One region's node as the job engine sees it (Flower's ClientProxy): each method hands the node one task of the
/// open round. The node's answer reaches that round's collector (<see cref="OpenRound.Submit"/>,
/// <see cref="OpenRound.SubmitMetrics"/>, <see cref="OpenRound.SubmitStatistics"/>, <see cref="OpenRound.SubmitAnalysis"/>): over gRPC the coordinator's
/// Federation handlers submit it, an in-process client submits it itself. The engine waits on the round, not on
/// these calls, so a node that never answers costs the round's deadline and nothing else.
/// </summary>
public interface IClientProxy
{
    /// <summary>Round 0: initialise the model from the job seed and upload it (<c>NodeTask.initialize</c>).</summary>
    void Initialize(NodeTask task, OpenRound round);

    /// <summary>A fit round: train on the global model <c>task.model_sha256</c> and upload the delta (<c>NodeTask.fit</c>).</summary>
    void Fit(NodeTask task, OpenRound round);

    /// <summary>Federated evaluation or one cross-site cell: report metrics of a model (<c>NodeTask.evaluate</c>).</summary>
    void Evaluate(NodeTask task, OpenRound round);

    /// <summary>The statistics phase: check the data against the schema, report statistics or refuse (<c>NodeTask.statistics</c>).</summary>
    void Statistics(NodeTask task, OpenRound round);

    /// <summary>A round of an analysis job: compute what the analysis asks on the region's rows, or refuse (<c>NodeTask.analysis</c>).</summary>
    void Analyze(NodeTask task, OpenRound round);
}
