namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Crash-test points the job engine passes (<see cref="ChaosPoints"/>): the coordinator's hook stops the process's
/// progress at an armed point and round so a test can kill it there; elsewhere it returns at once.
/// </summary>
public interface IChaosHook
{
    /// <summary>Returns at once unless <paramref name="point"/> of <paramref name="round"/> is armed; then does not return normally.</summary>
    ValueTask PauseAsync(string point, int round, CancellationToken ct);
}

/// <summary>No crash-test points (simulation, tests).</summary>
public sealed class NoChaos : IChaosHook
{
    /// <summary>The one instance.</summary>
    public static NoChaos Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask PauseAsync(string point, int round, CancellationToken ct) => ValueTask.CompletedTask;
}
