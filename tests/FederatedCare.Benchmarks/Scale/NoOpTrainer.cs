using FederatedCare.Node.Sdk;
using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Data;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>
/// Load testing only (<c>scripts/soak.sh</c>): fit tasks skip training and return a zero delta with num_examples =
/// the job's training rows and metrics train_loss 0, train_steps 0, so a federation of real agents runs hundreds of
/// rounds quickly. Initialize, evaluate and statistics are the real agent's (<see cref="TorchTrainer"/>).
/// </summary>
public sealed class NoOpTrainer(TorchTrainer inner, JobDatasets datasets) : INodeTrainer
{
    private static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>
    {
        [WireNames.FitMetrics.TrainLoss] = 0,
        [WireNames.FitMetrics.TrainSteps] = 0,
    };

    /// <inheritdoc />
    public InitialModel Initialize(NodeTask task) => inner.Initialize(task);

    /// <inheritdoc />
    public FitResult Fit(FitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new FitResult(request.Global.ZerosLike(), datasets.Get(request.Task).Train.Rows, 0, 0, NoMetrics);
    }

    /// <inheritdoc />
    public IReadOnlyList<RegionMetrics> Evaluate(NodeTask task, ModelParameters model, IReadOnlyList<string> splits) =>
        inner.Evaluate(task, model, splits);

    /// <inheritdoc />
    public StatisticsAnswer Statistics(NodeTask task) => inner.Statistics(task);
}
