namespace FederatedCare.Privacy;

/// <summary>
/// The privacy a DP-FedAvg job has spent: each round is one sampled Gaussian mechanism with a noise multiplier z (the
/// job's) and a sampling rate q (that round's) (<see cref="SampledGaussianRdp"/>); Rényi DP composes by adding
/// ε_RDP(α) over rounds at every order α = 2..256 (Mironov 2017, Proposition 1). The total converts to (ε, δ)-DP by
/// the conversion of Balle, Barthe, Gaboardi, Hsu &amp; Sato 2020 ("Hypothesis Testing Interpretations and Rényi
/// Differential Privacy", AISTATS, Theorem 21), as Opacus' <c>get_privacy_spent</c> does:
/// ε = min over α of ε_RDP(α) + ln((α − 1)/α) − (ln δ + ln α)/(α − 1), floored at 0.
/// Only integer orders are used; Opacus also tries fractional orders below 11, which can give a slightly smaller ε
/// when the optimum lies near α = 2 (little noise), so the ε here is never below Opacus' for the same rounds.
/// </summary>
public sealed class PrivacyAccountant
{
    /// <summary>The smallest and largest Rényi order considered.</summary>
    public const int MinOrder = 2, MaxOrder = 256;

    private readonly double[] _rdp = new double[MaxOrder - MinOrder + 1];

    /// <summary>Rounds composed so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>
    /// Composes one more round in which a fraction <paramref name="samplingRate"/> of the regions was sampled and
    /// noise of <paramref name="noiseMultiplier"/> times the sensitivity added.
    /// </summary>
    public void AddRound(double samplingRate, double noiseMultiplier)
    {
        for (int i = 0; i < _rdp.Length; i++)
            _rdp[i] += SampledGaussianRdp.Rdp(samplingRate, noiseMultiplier, MinOrder + i);
        Rounds++;
    }

    /// <summary>The (ε, δ) guarantee of the rounds so far at <paramref name="delta"/>, and the order that gave it; ε = +∞ when z = 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">δ outside (0, 1).</exception>
    public (double Epsilon, int Order) Spent(double delta)
    {
        if (!(delta is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
        (double Epsilon, int Order) best = (double.PositiveInfinity, MinOrder);
        for (int i = 0; i < _rdp.Length; i++)
        {
            double alpha = MinOrder + i;
            double epsilon = _rdp[i] + Math.Log((alpha - 1) / alpha) - (Math.Log(delta) + Math.Log(alpha)) / (alpha - 1);
            if (epsilon < best.Epsilon) best = (epsilon, MinOrder + i);
        }
        return (Math.Max(0, best.Epsilon), best.Order);
    }
}
