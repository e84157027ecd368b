namespace FederatedCare.Coordinator.Web;

/// <summary>The web server's lifetime: no signal handlers and no start-up banner (the coordinator's host has both).</summary>
internal sealed class FollowingLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
