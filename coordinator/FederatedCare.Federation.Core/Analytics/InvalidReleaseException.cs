namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// What a region released for an analysis is inconsistent or malformed (counts that do not add up, times out of
/// order, a mode other regions did not use): the coordinator refuses to combine it rather than report a wrong figure.
/// </summary>
/// <param name="message">What is wrong, naming the figure.</param>
public sealed class InvalidReleaseException(string message) : Exception(message);
