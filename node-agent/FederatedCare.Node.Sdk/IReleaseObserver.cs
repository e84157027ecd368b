using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// Told of everything the node is about to send to the coordinator that derives from its rows — updates, statistics,
/// metrics, analysis answers and refusals — by <see cref="TrainerTaskHandler"/>, just before it sends it, so that the
/// region can keep its own record of what left (the node agent's audit log implements it). Called one task at a time.
/// The message is the one that will be sent; an observer must not change it.
/// </summary>
public interface IReleaseObserver
{
    /// <summary>An update (an initial model or a round's delta) about to be uploaded: its header and the model as sent.</summary>
    /// <param name="task">The task it answers.</param>
    /// <param name="header">The update's header (kind, round, num_examples, training metrics).</param>
    /// <param name="model">The update's tensors (float32, before the wire encoding narrows them).</param>
    /// <param name="encoding">The wire encoding the update travels in.</param>
    /// <exception cref="IOException">The record could not be written: the handler then sends nothing.</exception>
    void UpdateReleased(NodeTask task, UpdateHeader header, ModelParameters model, DType encoding);

    /// <summary>A statistics answer (aggregates or a refusal) about to be reported.</summary>
    /// <exception cref="IOException">The record could not be written: the handler then sends nothing.</exception>
    void StatisticsReleased(NodeTask task, ReportStatisticsRequest report);

    /// <summary>Evaluation metrics about to be reported.</summary>
    /// <exception cref="IOException">The record could not be written: the handler then sends nothing.</exception>
    void MetricsReleased(NodeTask task, ReportMetricsRequest report);

    /// <summary>A task refusal (initialize, fit or evaluate) about to be reported, with its reason.</summary>
    /// <exception cref="IOException">The record could not be written: the handler then sends nothing.</exception>
    void RefusalReleased(NodeTask task, ReportRefusalRequest report);

    /// <summary>An analysis answer or refusal about to be reported.</summary>
    /// <exception cref="IOException">The record could not be written: the handler then sends nothing.</exception>
    void AnalysisReleased(NodeTask task, ReportAnalysisRequest report);
}
