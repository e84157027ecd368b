namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// The region refuses an analysis by its own settings or because answering would release more than the analysis
/// allows (exact times not permitted, fewer rows than the minimum cell count, a threshold off the bisection path).
/// </summary>
/// <param name="message">Why, in words the coordinator's operator can act on.</param>
public sealed class AnalysisRefusedException(string message) : Exception(message);
