
namespace FederatedCare.Node.Sdk;

/// <summary>
/// Delays between reconnection attempts: exponential growth from <see cref="ReconnectOptions.InitialDelayMs"/> up
/// to <see cref="ReconnectOptions.MaxDelayMs"/>, each reduced by a random fraction up to
/// <see cref="ReconnectOptions.Jitter"/> so that agents that lost the coordinator together do not return together.
/// </summary>
public sealed class ReconnectBackoff(ReconnectOptions options, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;

    /// <summary>The delay before the next attempt; each call lengthens the following one.</summary>
    public TimeSpan Next()
    {
        double ceiling = Math.Min(options.MaxDelayMs, options.InitialDelayMs * Math.Pow(options.Multiplier, _attempt));
        if (_attempt < 64) _attempt++;
        double ms = ceiling * (1 - options.Jitter * _random.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Max(1, ms));
    }

    /// <summary>Back to the initial delay (after a connection that worked).</summary>
    public void Reset() => _attempt = 0;
}
