namespace FederatedCare.Federation.Core.Analytics;

/// <summary>The log-rank test of equal survival across groups (R's <c>survdiff</c>, ρ = 0).</summary>
/// <param name="Groups">The groups (regions), in the order given.</param>
/// <param name="Rows">Rows per group.</param>
/// <param name="Observed">Events per group.</param>
/// <param name="Expected">Expected events per group under equal hazards: Σ over event times of n_g · d / n.</param>
/// <param name="Variance">The k × k variance matrix of O − E (hypergeometric, row-major).</param>
/// <param name="ChiSquare">(O − E)ᵀ V⁻¹ (O − E) on all groups but the first (R drops the first).</param>
/// <param name="DegreesOfFreedom">Groups with expected events, minus one.</param>
/// <param name="PValue">P(χ²_df ≥ <paramref name="ChiSquare"/>).</param>
public sealed record LogRankResult(IReadOnlyList<string> Groups, IReadOnlyList<long> Rows, IReadOnlyList<long> Observed, IReadOnlyList<double> Expected,
    double[,] Variance, double ChiSquare, int DegreesOfFreedom, double PValue);
