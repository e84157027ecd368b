using MathNet.Numerics;

namespace FederatedCare.Privacy;

/// <summary>
/// Rényi differential privacy of the sampled Gaussian mechanism at integer orders α ≥ 2 (Mironov 2017, "Rényi
/// Differential Privacy", CSF; Mironov, Talwar &amp; Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian
/// Mechanism", arXiv:1908.10530, Section 3.3): a mechanism that includes each participant with probability q and adds
/// Gaussian noise of standard deviation z times its L2 sensitivity is (α, ε_RDP(α))-RDP with
/// <list type="bullet">
/// <item>q = 1 (no sampling, the plain Gaussian mechanism): ε_RDP(α) = α / (2z²);</item>
/// <item>0 &lt; q &lt; 1: ε_RDP(α) = ln(A_α) / (α − 1), A_α = Σₖ₌₀^α C(α, k)·(1 − q)^(α−k)·q^k·exp((k² − k) / (2z²)),
/// summed in log space so that large orders and small z neither overflow nor lose precision.</item>
/// </list>
/// The same computation as Opacus' and TF-Privacy's <c>compute_rdp</c> for integer orders; binomial coefficients and
/// their logarithms and ln(1 + x) come from MathNet.Numerics.
/// </summary>
public static class SampledGaussianRdp
{
    /// <summary>ε_RDP(α) of one application; +∞ when z = 0 (no noise), 0 when q = 0 (nobody sampled).</summary>
    /// <exception cref="ArgumentOutOfRangeException">q outside [0, 1], z negative or not finite, or α &lt; 2.</exception>
    public static double Rdp(double samplingRate, double noiseMultiplier, int order)
    {
        if (!(samplingRate is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(samplingRate), samplingRate, "q must be in [0, 1].");
        if (!(double.IsFinite(noiseMultiplier) && noiseMultiplier >= 0))
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "z must be a finite number >= 0.");
        if (order < 2) throw new ArgumentOutOfRangeException(nameof(order), order, "Integer orders start at 2.");
        if (samplingRate == 0) return 0;
        if (noiseMultiplier == 0) return double.PositiveInfinity;
        if (samplingRate == 1) return order / (2 * noiseMultiplier * noiseMultiplier);
        return LogA(samplingRate, noiseMultiplier, order) / (order - 1);
    }

    /// <summary>ln(A_α) for 0 &lt; q &lt; 1, z &gt; 0 and integer α.</summary>
    private static double LogA(double q, double z, int alpha)
    {
        double logQ = Math.Log(q), log1MinusQ = SpecialFunctions.Log1p(-q), twoZSquared = 2 * z * z;
        double logA = double.NegativeInfinity;
        for (int k = 0; k <= alpha; k++)
        {
            double term = SpecialFunctions.BinomialLn(alpha, k) + k * logQ + (alpha - k) * log1MinusQ + ((double)k * k - k) / twoZSquared;
            logA = LogAdd(logA, term);
        }
        return logA;
    }

    /// <summary>ln(eˣ + eʸ) without overflow: max + ln(1 + e^(min − max)).</summary>
    private static double LogAdd(double x, double y)
    {
        double low = Math.Min(x, y), high = Math.Max(x, y);
        return double.IsNegativeInfinity(low) ? high : high + SpecialFunctions.Log1p(Math.Exp(low - high));
    }
}
