using FederatedCare.Protos.V1;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// What R's <c>summary(coxph)</c> reports from a fit: per term the coefficient, its standard error √(I⁻¹)ᵢᵢ, the hazard
/// ratio exp(β) with its 95% Wald interval exp(β ± z₀.₉₇₅·se), z = β/se and the two-sided normal p; and the
/// likelihood-ratio test 2·(ℓ_model − ℓ_null) on as many degrees of freedom as terms (upper χ² tail).
/// </summary>
public static class CoxInference
{
    /// <summary>z₀.₉₇₅ = qnorm(0.975).</summary>
    public static readonly double Z975 = Normal.InvCDF(0, 1, 0.975);

    /// <summary>The terms of <paramref name="fit"/>, named <paramref name="names"/>.</summary>
    public static IReadOnlyList<CoxTerm> Terms(CoxFit fit, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(names);
        var terms = new List<CoxTerm>();
        for (int i = 0; i < names.Count; i++)
        {
            double coef = fit.Beta[i], se = Math.Sqrt(fit.Variance[i, i]), z = coef / se;
            terms.Add(new CoxTerm
            {
                Name = names[i], Coef = coef, Se = se, HazardRatio = Math.Exp(coef),
                Lower95 = Math.Exp(coef - Z975 * se), Upper95 = Math.Exp(coef + Z975 * se),
                Z = z, P = 2 * Normal.CDF(0, 1, -Math.Abs(z)),
            });
        }
        return terms;
    }

    /// <summary>The likelihood-ratio statistic, its degrees of freedom and p-value.</summary>
    public static (double ChiSquare, int Df, double P) LikelihoodRatio(CoxFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        double chisq = 2 * (fit.LoglikModel - fit.LoglikNull);
        int df = fit.Beta.Length;
        return (chisq, df, chisq > 0 ? SpecialFunctions.GammaUpperRegularized(df / 2.0, chisq / 2) : 1);
    }
}
