using System.Globalization;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>How the CLI shows the privacy a DP job has spent (<see cref="RoundSummary.Privacy"/>).</summary>
public static class PrivacyText
{
    /// <summary>ε with two decimals, or ∞ (too little noise for any guarantee), e.g. <c>3.54</c>.</summary>
    public static string Epsilon(RoundPrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        return double.IsPositiveInfinity(privacy.Epsilon) ? "∞" : privacy.Epsilon.ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>ε and δ, e.g. <c>ε 6.42 (δ 1e-5)</c>.</summary>
    public static string EpsilonAtDelta(RoundPrivacy privacy)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        return string.Create(CultureInfo.InvariantCulture, $"ε {Epsilon(privacy)} (δ {privacy.Delta:0.##e0})");
    }
}
