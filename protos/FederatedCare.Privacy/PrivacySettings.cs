using FederatedCare.Protos.V1;

namespace FederatedCare.Privacy;

/// <summary>
/// A job's differential-privacy settings (<see cref="JobSpec.Privacy"/>, checked at submission by Federation.Core's <c>PrivacySpecValidator</c>)
/// with defaults applied: clipping norm C, noise multiplier z, where updates are clipped, and the δ of the reported
/// (ε, δ).
/// </summary>
/// <param name="ClippingNorm">C &gt; 0: the largest L2 norm of one region's whole update.</param>
/// <param name="NoiseMultiplier">z ≥ 0: the noise's standard deviation in units of the mean's sensitivity C/m.</param>
/// <param name="ClientSideClipping">True: nodes clip and the coordinator checks; false: the coordinator clips.</param>
/// <param name="Delta">δ in (0, 1).</param>
public sealed record PrivacySettings(double ClippingNorm, double NoiseMultiplier, bool ClientSideClipping, double Delta)
{
    /// <summary>
    /// δ when the spec leaves target_delta at 0. It must be well below 1/n for n participants (a δ of 1/n allows
    /// releasing one participant's data outright); with user-level DP over regions n is small, so 1e-5 is far below it.
    /// </summary>
    public const double DefaultDelta = 1e-5;

    /// <summary>The largest δ a job may ask for: a federation has a few regions at least, and δ must stay far below 1/n.</summary>
    public const double MaxDelta = 0.01;

    /// <summary>
    /// Relative slack of the client-side check: an update of norm up to C·(1 + 1e-5) is accepted (and then clipped to C
    /// exactly), which absorbs float32 rounding in the node's scaling; anything longer was not clipped.
    /// </summary>
    public const double ClientNormTolerance = 1e-5;

    /// <summary>How log messages name the two sides of <see cref="PrivacySpec.Clipping"/>.</summary>
    public const string ServerClipping = "server", ClientClipping = "client";

    /// <summary>The settings of a spec, or null when it asks for no privacy.</summary>
    public static PrivacySettings? From(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Privacy is not { } p) return null;
        return new PrivacySettings(p.ClippingNorm, p.NoiseMultiplier, p.Clipping == ClippingSide.Client,
            p.TargetDelta > 0 ? p.TargetDelta : DefaultDelta);
    }


    /// <summary>The longest update client-side clipping accepts: C·(1 + <see cref="ClientNormTolerance"/>).</summary>
    public double LargestClientNorm => ClippingNorm * (1 + ClientNormTolerance);

    /// <summary>min(1, C/‖Δ‖): the factor that clips an update of L2 norm <paramref name="norm"/> to at most C.</summary>
    public double ClipFactor(double norm) => norm > ClippingNorm ? ClippingNorm / norm : 1;

    /// <summary>z·C/m: the standard deviation of the noise on the mean of <paramref name="updates"/> clipped updates.</summary>
    public double NoiseStdDev(int updates) => NoiseMultiplier * ClippingNorm / updates;
}
