namespace FederatedCare.Federation.Core.Analytics;

/// <summary>The Kaplan–Meier estimate just after one time point (one row of R's <c>summary(survfit)</c>).</summary>
/// <param name="Time">The time point, days.</param>
/// <param name="AtRisk">Rows at risk just before it.</param>
/// <param name="Events">Events at it.</param>
/// <param name="Censored">Censored rows at it.</param>
/// <param name="Survival">S(t): the product of (n − d) / n over the event times up to and including this one.</param>
/// <param name="StandardError">Greenwood's standard error of −log S(t), √Σ d / (n (n − d)) (R's <c>std.err</c>); ∞ once everyone at risk had the event.</param>
/// <param name="Lower">Lower bound of the interval, <c>S · exp(−z · se)</c>; NaN when S = 0.</param>
/// <param name="Upper">Upper bound, <c>min(1, S · exp(z · se))</c>; NaN when S = 0.</param>
public readonly record struct KaplanMeierStep(double Time, long AtRisk, long Events, long Censored, double Survival, double StandardError,
    double Lower, double Upper);
