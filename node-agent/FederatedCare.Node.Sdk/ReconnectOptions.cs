namespace FederatedCare.Node.Sdk;

/// <summary>
/// Exponential backoff with jitter between connection attempts: the n-th retry waits about
/// <c>min(MaxDelayMs, InitialDelayMs · Multiplier^n)</c>, reduced by a random fraction up to <see cref="Jitter"/>
/// so that many nodes restarted together do not reconnect in lockstep.
/// </summary>
public sealed class ReconnectOptions
{
    /// <summary>First retry delay in milliseconds. Small, so agents started before the coordinator join quickly.</summary>
    public int InitialDelayMs { get; set; } = 200;

    /// <summary>Upper bound of a retry delay in milliseconds.</summary>
    public int MaxDelayMs { get; set; } = 5000;

    /// <summary>Growth factor per failed attempt (≥ 1).</summary>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Fraction of the delay (0–1) that is randomised away.</summary>
    public double Jitter { get; set; } = 0.3;
}
