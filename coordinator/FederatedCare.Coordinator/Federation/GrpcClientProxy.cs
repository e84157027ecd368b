using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// A node agent as the job engine's client: every task goes onto the node's task stream (WaitForTask), and the
/// node's answer arrives through the Federation service (UploadUpdate, ReportMetrics, ReportStatistics), which
/// finds the open round on the <see cref="RoundBoard"/> and submits it there. A task for a node replaced meanwhile
/// is dropped; the round then counts it as silent.
/// </summary>
internal sealed class GrpcClientProxy(NodeSession session) : IClientProxy
{
    public void Initialize(NodeTask task, OpenRound round) => session.Send(task);

    public void Fit(NodeTask task, OpenRound round) => session.Send(task);

    public void Evaluate(NodeTask task, OpenRound round) => session.Send(task);

    public void Statistics(NodeTask task, OpenRound round) => session.Send(task);

    public void Analyze(NodeTask task, OpenRound round) => session.Send(task);
}
