namespace FederatedCare.Federation.Core.Analytics;

/// <summary>The Kaplan–Meier estimate at a requested time, as R's <c>summary(survfit, times = …, extend = TRUE)</c>.</summary>
/// <param name="Time">The requested time, days.</param>
/// <param name="AtRisk">Rows whose time is at or after it (0 past the last time point).</param>
/// <param name="Events">Events after the previous requested time (from 0 for the first) up to and including this one.</param>
/// <param name="Survival">S at the last time point at or before it (1 before the first).</param>
/// <param name="StandardError">Greenwood's standard error of −log S there (0 before the first event).</param>
/// <param name="Lower">Lower bound of the interval (NaN when S = 0).</param>
/// <param name="Upper">Upper bound of the interval (NaN when S = 0).</param>
public readonly record struct KaplanMeierSummaryRow(double Time, long AtRisk, long Events, double Survival, double StandardError, double Lower, double Upper);
