namespace FederatedCare.NodeAgent.Analysis;

/// <summary>A region's rows at one distinct observed time (exact mode of Kaplan–Meier and the log-rank test).</summary>
/// <param name="Time">The time, days.</param>
/// <param name="Events">Rows with the event at it.</param>
/// <param name="Censored">Rows censored at it.</param>
public readonly record struct ExactTimeCount(double Time, long Events, long Censored);
