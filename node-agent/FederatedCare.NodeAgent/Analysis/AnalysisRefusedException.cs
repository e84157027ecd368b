namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// This region does not answer an analysis task; the message is the refusal the coordinator gets, so it names no
/// file path and quotes no cell value.
/// </summary>
public sealed class AnalysisRefusedException(string message) : Exception(message);
